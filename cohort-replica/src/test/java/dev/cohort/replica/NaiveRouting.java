package dev.cohort.replica;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The routing the field does by default: writes to the primary, every read round robin over the
 * replicas, no notion of lag. Used to show the wrong outcome.
 */
final class NaiveRouting implements Routing {
  private final DataSource primary;
  private final List<DataSource> replicas;
  private final AtomicInteger turn = new AtomicInteger();

  NaiveRouting(DataSource primary, List<DataSource> replicas) {
    this.primary = primary;
    this.replicas = replicas;
  }

  @Override
  public Connection forWrite() throws SQLException {
    return primary.getConnection();
  }

  @Override
  public Connection forRead() throws SQLException {
    return replicas.get(Math.floorMod(turn.getAndIncrement(), replicas.size())).getConnection();
  }
}
