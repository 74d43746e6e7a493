package dev.cohort.participant;

import dev.cohort.api.Scheduler;
import dev.cohort.jdbc.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes barrier rows older than a retention, in batches, on a schedule.
 *
 * <p>The retention must outlast the longest time a try can still be on its way after its cancel
 * (the global transaction's timeout plus delivery retries): once the cancel's rows are gone, a very
 * late try is no longer refused.
 *
 * <pre>{@code
 * BarrierPurger purger = BarrierPurger.builder(barrier).retention(Duration.ofDays(7)).build();
 * purger.start();   // ... purger.close() on shutdown
 * }</pre>
 */
public final class BarrierPurger implements AutoCloseable {
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
  public static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);
  public static final int DEFAULT_BATCH_SIZE = 1_000;

  /** Name of the thread of the scheduler a purger creates when none is given. */
  public static final String THREAD_NAME = "cohort-barrier-purger";

  private static final Logger LOG = LoggerFactory.getLogger(BarrierPurger.class);

  private final Barrier barrier;
  private final Duration retention;
  private final Duration interval;
  private final int batchSize;
  private final Clock clock;
  private final Scheduler scheduler;
  private final boolean ownsScheduler;
  private Scheduler.Cancellable task;

  private BarrierPurger(Builder b) {
    this.barrier = b.barrier;
    this.retention = b.retention;
    this.interval = b.interval;
    this.batchSize = b.batchSize;
    this.clock = b.clock != null ? b.clock : barrier.clock();
    this.ownsScheduler = b.scheduler == null;
    this.scheduler = ownsScheduler ? Scheduler.system(THREAD_NAME) : b.scheduler;
  }

  public static Builder builder(Barrier barrier) {
    return new Builder(barrier);
  }

  /** Schedules {@link #purgeNow()} every interval, the first one interval from now. */
  public synchronized BarrierPurger start() {
    if (task != null) {
      throw new IllegalStateException("the purger of " + barrier.table() + " is already started");
    }
    task = scheduler.scheduleRepeatedly(interval, this::purgeLogged);
    return this;
  }

  /**
   * Deletes every row created before now minus the retention, one batch per statement (each its own
   * short transaction, so live barrier calls never wait long), and returns how many went.
   */
  public long purgeNow() {
    long cutoff = clock.millis() - retention.toMillis();
    long total = 0;
    try (Connection c = barrier.dataSource().getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      int isolation = c.getTransactionIsolation();
      c.setAutoCommit(true);
      if (barrier.database() == Database.MARIADB) {
        // No gap locks on the created_at range: inserts of new rows never wait for a purge.
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      }
      try (PreparedStatement s = c.prepareStatement(barrier.sql().purgeBatch())) {
        int deleted;
        do {
          s.setLong(1, cutoff);
          s.setInt(2, batchSize);
          deleted = s.executeUpdate();
          total += deleted;
        } while (deleted >= batchSize);
      } finally {
        c.setTransactionIsolation(isolation);
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "purging "
              + barrier.table()
              + " rows created before "
              + Instant.ofEpochMilli(cutoff)
              + " failed after deleting "
              + total,
          e);
    }
    return total;
  }

  /**
   * A scheduled run; a failure is logged by {@link Scheduler#scheduleRepeatedly}, which goes on.
   */
  private void purgeLogged() {
    long deleted = purgeNow();
    LOG.debug("purged {} rows of {}", deleted, barrier.table());
  }

  /** Stops the schedule; shuts the scheduler down only if the purger created it. */
  @Override
  public synchronized void close() {
    if (task != null) {
      task.cancel();
      task = null;
    }
    if (ownsScheduler) {
      scheduler.close();
    }
  }

  /** Settings of a {@link BarrierPurger}; every one has a default. */
  public static final class Builder {
    private final Barrier barrier;
    private Duration retention = DEFAULT_RETENTION;
    private Duration interval = DEFAULT_INTERVAL;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Clock clock;
    private Scheduler scheduler;

    private Builder(Barrier barrier) {
      this.barrier = Objects.requireNonNull(barrier, "barrier must not be null");
    }

    /** Rows older than this are deleted. Default 7 days. */
    public Builder retention(Duration retention) {
      this.retention = positive("retention", retention);
      return this;
    }

    /** Time between two purges. Default 1 hour. */
    public Builder interval(Duration interval) {
      this.interval = positive("interval", interval);
      return this;
    }

    /** Rows deleted per statement. Default 1000. */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException(
            "batchSize is " + batchSize + "; it must be at least 1 (default 1000)");
      }
      this.batchSize = batchSize;
      return this;
    }

    /** What "now" is. Default: the barrier's clock, which stamps the rows. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /**
     * Where the periodic purge runs ({@link Scheduler#scheduleRepeatedly}). Default: {@link
     * Scheduler#system(String)} on a daemon thread of the purger's own, closed by {@link
     * BarrierPurger#close()}; a scheduler passed here is left open. Tests pass a {@code
     * ManualScheduler} from cohort-testing-time.
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
      return this;
    }

    public BarrierPurger build() {
      return new BarrierPurger(this);
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name + " must not be null");
      if (value.isNegative() || value.isZero() || value.toMillis() == 0) {
        throw new IllegalArgumentException(
            name + " is " + value + "; it must be at least 1 ms (e.g. Duration.ofDays(7))");
      }
      return value;
    }
  }
}
