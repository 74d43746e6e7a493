package dev.cohort.lock;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Runs a read-modify-write in a transaction and runs it again, in a new transaction, when it fails
 * with an {@link OptimisticLockException}, at most {@code maxAttempts} times in all.
 *
 * <p>Each attempt is a read-write transaction ({@code autoCommit=false}, not read-only), so its
 * reads see the latest commit: on a plain data source trivially, on a cohort-replica {@code
 * RoutingDataSource} because every statement of such a transaction goes to the primary.
 *
 * <pre>{@code
 * OptimisticRetry.run(db, 5, c -> {
 *   Account a = accounts.read(c, id);                       // version and balance
 *   return lock.update(c, id, a.version(), Map.of("balance", a.balance() + 50));
 * });
 * }</pre>
 */
public final class OptimisticRetry {
  /** Attempts when none are given: conflicts beyond a few mean the row is too hot for retrying. */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;

  /** One attempt, on a connection in a transaction that commits when it returns. */
  @FunctionalInterface
  public interface Attempt<T> {
    T run(Connection c) throws SQLException;
  }

  private OptimisticRetry() {}

  public static <T> T run(DataSource dataSource, Attempt<T> attempt) throws SQLException {
    return run(dataSource, DEFAULT_MAX_ATTEMPTS, attempt);
  }

  /**
   * Runs {@code attempt} until it commits without a conflict, at most {@code maxAttempts} times.
   *
   * @throws OptimisticLockException the last conflict, when every attempt had one (the earlier ones
   *     are suppressed in it)
   */
  public static <T> T run(DataSource dataSource, int maxAttempts, Attempt<T> attempt)
      throws SQLException {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(attempt, "attempt");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be 1 or more, got " + maxAttempts);
    }
    OptimisticLockException last = null;
    for (int i = 0; i < maxAttempts; i++) {
      try {
        return once(dataSource, attempt);
      } catch (OptimisticLockException conflict) {
        if (last != null) {
          conflict.addSuppressed(last);
        }
        last = conflict;
      }
    }
    throw last;
  }

  private static <T> T once(DataSource dataSource, Attempt<T> attempt) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setReadOnly(false);
      c.setAutoCommit(false);
      try {
        T result = attempt.run(c);
        c.commit();
        return result;
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
    }
  }
}
