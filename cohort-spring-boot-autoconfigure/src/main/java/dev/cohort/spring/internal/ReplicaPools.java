package dev.cohort.spring.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;

/** The pools the starter opened for the primary and the replicas; closed with the context. */
final class ReplicaPools implements AutoCloseable {
  /** A dead replica costs a read at most this long before it is marked down (docs). */
  static final long REPLICA_CONNECTION_TIMEOUT_MS = 1_000;

  private final List<HikariDataSource> pools = new ArrayList<>();

  HikariDataSource open(String name, String url, String user, String password, boolean replica) {
    HikariConfig c = new HikariConfig();
    c.setPoolName(name);
    c.setJdbcUrl(url);
    c.setUsername(user);
    c.setPassword(password);
    if (replica) {
      c.setConnectionTimeout(REPLICA_CONNECTION_TIMEOUT_MS);
      // Open lazily: a replica that is down at start must not stop the service.
      c.setInitializationFailTimeout(-1);
    }
    HikariDataSource pool = new HikariDataSource(c);
    pools.add(pool);
    return pool;
  }

  @Override
  public void close() {
    pools.forEach(HikariDataSource::close);
  }
}
