package dev.cohort.replica;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.ServerSocket;
import javax.sql.DataSource;

/** A pool pointing at a port nobody listens on: the unreachable replica. */
final class DeadPool implements AutoCloseable {
  private final HikariDataSource pool;

  private DeadPool(HikariDataSource pool) {
    this.pool = pool;
  }

  static DeadPool open() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    HikariConfig c = new HikariConfig();
    c.setPoolName("dead-replica");
    c.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/nothing");
    c.setUsername("nobody");
    c.setConnectionTimeout(250);
    c.setInitializationFailTimeout(-1);
    c.setMinimumIdle(0);
    return new DeadPool(new HikariDataSource(c));
  }

  DataSource dataSource() {
    return pool;
  }

  @Override
  public void close() {
    pool.close();
  }
}
