package dev.cohort.store.jdbc.internal;

import dev.cohort.coordinator.spi.LogUnit;
import dev.cohort.coordinator.spi.StoreException;
import dev.cohort.coordinator.spi.WriteResult;
import dev.cohort.store.jdbc.FlushObserver;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: callers queue units; a writer thread takes everything queued, writes it in one
 * database transaction and commits once, so concurrent transactions share one durable write (one
 * fsync). While a commit is in flight the next batch accumulates, so batches grow with load and a
 * lone caller still pays only one commit. Units submitted together are queued as one entry, so the
 * writer never takes the first of them without the rest.
 */
public final class GroupCommitWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

  private record Pending(LogUnit unit, CompletableFuture<WriteResult> result) {}

  private final DataSource dataSource;
  private final Dialect dialect;
  private final UnitWriter writer;
  private final int maxBatch;
  private final BlockingQueue<List<Pending>> queue = new LinkedBlockingQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean closed;
  private final LongAdder commits = new LongAdder();
  private final LongAdder units = new LongAdder();
  private final LongAdder busyNanos = new LongAdder();

  private final FlushObserver observer;

  public GroupCommitWriter(
      DataSource dataSource,
      Dialect dialect,
      int writerThreads,
      int maxBatch,
      String name,
      FlushObserver observer,
      AttemptHistory attempts) {
    this.observer = observer;
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.writer = new UnitWriter(dialect, attempts);
    this.maxBatch = maxBatch;
    for (int i = 0; i < writerThreads; i++) {
      Thread t = new Thread(this::loop, name + "-writer-" + i);
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
  }

  public CompletableFuture<WriteResult> submit(LogUnit unit) {
    return submitTogether(List.of(unit)).getFirst();
  }

  /** Queues {@code units} as one entry: the writer takes all of them into one commit. */
  public List<CompletableFuture<WriteResult>> submitTogether(List<LogUnit> units) {
    List<Pending> entry = new ArrayList<>(units.size());
    List<CompletableFuture<WriteResult>> results = new ArrayList<>(units.size());
    for (LogUnit unit : units) {
      CompletableFuture<WriteResult> result = new CompletableFuture<>();
      if (closed) {
        result.completeExceptionally(closedException());
      } else {
        entry.add(new Pending(unit, result));
      }
      results.add(result);
    }
    if (!entry.isEmpty()) {
      queue.add(entry);
    }
    return results;
  }

  private void loop() {
    List<Pending> batch = new ArrayList<>(maxBatch);
    List<Pending> carried = null; // an entry that did not fit the last batch: it starts the next
    while (!closed) {
      List<Pending> first = carried;
      carried = null;
      if (first == null) {
        try {
          first = queue.take();
        } catch (InterruptedException e) {
          break;
        }
      }
      batch.addAll(first); // an entry larger than maxBatch goes alone
      List<Pending> next;
      while (batch.size() < maxBatch && (next = queue.poll()) != null) {
        if (batch.size() + next.size() > maxBatch) {
          carried = next;
          break;
        }
        batch.addAll(next);
      }
      flush(batch);
      batch.clear();
    }
    if (carried != null) {
      fail(carried);
    }
    failPending();
  }

  private void flush(List<Pending> batch) {
    List<LogUnit> units = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      units.add(p.unit());
    }
    try {
      WriteResult[] results = writeAndCommit(units);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result().complete(results[i]);
      }
    } catch (SQLException | RuntimeException e) {
      if (batch.size() > 1) {
        // One bad unit (a duplicate gid) must not fail its neighbours: write each on its own.
        for (Pending p : batch) {
          flush(List.of(p));
        }
        return;
      }
      Pending only = batch.getFirst();
      if (e instanceof SQLException sql
          && dialect.isDuplicateKey(sql)
          && (only.unit().guard() instanceof LogUnit.Insert || addsBranch(only.unit()))) {
        only.result().complete(WriteResult.DUPLICATE);
      } else {
        only.result()
            .completeExceptionally(
                new StoreException(
                    "could not write the log for transaction "
                        + only.unit().gid()
                        + " to "
                        + dialect.database()
                        + ": "
                        + e.getMessage(),
                    e));
      }
    }
  }

  /** Two requests raced to add the same branch id; the loser's unit is a duplicate. */
  private static boolean addsBranch(LogUnit unit) {
    return unit.branchWrites().stream().anyMatch(w -> w instanceof LogUnit.InsertBranch);
  }

  /** Commits, units and busy nanoseconds so far. */
  public long[] stats() {
    return new long[] {commits.sum(), units.sum(), busyNanos.sum()};
  }

  private WriteResult[] writeAndCommit(List<LogUnit> batch) throws SQLException {
    long start = System.nanoTime();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        String settings = dialect.flushSettings();
        if (settings != null) {
          try (Statement s = c.createStatement()) {
            s.execute(settings);
          }
        }
        WriteResult[] results = writer.write(c, batch);
        c.commit();
        commits.increment();
        units.add(batch.size());
        long took = System.nanoTime() - start;
        busyNanos.add(took);
        observe(batch.size(), took);
        return results;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      }
    }
  }

  private void observe(int size, long nanos) {
    try {
      observer.onFlush(size, Duration.ofNanos(nanos));
    } catch (RuntimeException e) {
      LOG.warn("the flush observer failed; ignored", e);
    }
  }

  private void failPending() {
    List<Pending> entry;
    while ((entry = queue.poll()) != null) {
      fail(entry);
    }
  }

  private static void fail(List<Pending> entry) {
    for (Pending p : entry) {
      p.result().completeExceptionally(closedException());
    }
  }

  private static StoreException closedException() {
    return new StoreException("the transaction log is closed", null);
  }

  @Override
  public void close() {
    closed = true;
    threads.forEach(Thread::interrupt);
    for (Thread t : threads) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    failPending();
    LOG.debug("group commit writer closed");
  }
}
