package dev.cohort.cache;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JDBC transaction with {@link CommitHooks}: {@link #run} commits the work, then runs what was
 * registered; on failure it rolls back and drops them.
 *
 * <pre>{@code
 * JdbcTransaction.run(db, tx -> {
 *   long version = users.rename(tx.connection(), id, name);
 *   cache.invalidateAfterCommit(tx, "user:" + id, CacheVersion.row(version));
 *   return null;
 * });
 * }</pre>
 */
public final class JdbcTransaction implements CommitHooks {
  private static final Logger log = LoggerFactory.getLogger(JdbcTransaction.class);

  /** The work of one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(JdbcTransaction tx) throws SQLException;
  }

  private final Connection connection;
  private final List<Runnable> afterCommit = new ArrayList<>();

  private JdbcTransaction(Connection connection) {
    this.connection = connection;
  }

  /** Runs {@code work} in a transaction on a connection of {@code dataSource}. */
  public static <T> T run(DataSource dataSource, Work<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      JdbcTransaction tx = new JdbcTransaction(c);
      T result;
      try {
        result = work.run(tx);
        c.commit();
      } catch (SQLException | RuntimeException | Error e) {
        try {
          c.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
      tx.committed();
      return result;
    }
  }

  public Connection connection() {
    return connection;
  }

  @Override
  public void afterCommit(Runnable action) {
    afterCommit.add(action);
  }

  private void committed() {
    for (Runnable action : afterCommit) {
      try {
        action.run();
      } catch (RuntimeException e) {
        // The transaction is committed; failing the caller now would report a write that
        // happened as failed. Hooks that must succeed retry on their own (cache invalidation does).
        log.warn("after-commit action failed", e);
      }
    }
  }
}
