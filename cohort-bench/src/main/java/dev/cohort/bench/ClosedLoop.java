package dev.cohort.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;

/**
 * A closed loop of N callers, each running the same task back to back: warm up, measure, stop. The
 * shape every Cohort benchmark uses, so that their figures compare.
 */
public final class ClosedLoop {
  private ClosedLoop() {}

  /** One unit of work: a transaction, or the calls it replaces. */
  @FunctionalInterface
  public interface Task {
    void run() throws Exception;
  }

  /** The benchmarks' {@code key=value} arguments ({@code key} alone means an empty value). */
  public static Properties arguments(String[] args) {
    Properties a = new Properties();
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      a.setProperty(kv[0], kv.length > 1 ? kv[1] : "");
    }
    return a;
  }

  /** Throughput over the measured window, latencies in nanoseconds, failed runs. */
  public record Result(double perSecond, Histogram latencyNanos, long errors) {
    public double p50Millis() {
      return latencyNanos.getValueAtPercentile(50) / 1e6;
    }

    public double p99Millis() {
      return latencyNanos.getValueAtPercentile(99) / 1e6;
    }
  }

  /**
   * Runs {@code task} on {@code callers} threads (virtual ones when asked) for the warm-up, then
   * measures for {@code seconds}. The first failure of each caller is printed to stderr.
   */
  public static Result run(Task task, int callers, int warmupSeconds, int seconds, boolean virtual)
      throws InterruptedException {
    return run(task, callers, warmupSeconds, seconds, virtual, () -> {}, () -> {});
  }

  /**
   * {@link #run(Task, int, int, int, boolean)}, calling {@code atStart} as the measured window
   * opens and {@code atEnd} as it closes (e.g. to read the CPU time processes spent in it).
   */
  public static Result run(
      Task task,
      int callers,
      int warmupSeconds,
      int seconds,
      boolean virtual,
      Runnable atStart,
      Runnable atEnd)
      throws InterruptedException {
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    List<Histogram> histograms = new ArrayList<>();
    long[] errors = new long[callers];
    CountDownLatch done = new CountDownLatch(callers);
    for (int i = 0; i < callers; i++) {
      Histogram h = new Histogram(60_000_000_000L, 3);
      histograms.add(h);
      int index = i;
      Runnable loop =
          () -> {
            try {
              while (!stop.get()) {
                long start = System.nanoTime();
                try {
                  task.run();
                } catch (Exception e) {
                  if (errors[index]++ == 0) {
                    System.err.println("first error of caller " + index + ": " + e);
                  }
                }
                if (measuring.get()) {
                  h.recordValue(System.nanoTime() - start);
                }
              }
            } finally {
              done.countDown();
            }
          };
      Thread t = virtual ? Thread.ofVirtual().unstarted(loop) : new Thread(loop, "caller-" + i);
      t.start();
    }
    Thread.sleep(warmupSeconds * 1000L);
    atStart.run();
    measuring.set(true);
    long begin = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    measuring.set(false);
    long elapsed = System.nanoTime() - begin;
    atEnd.run();
    stop.set(true);
    done.await();
    Histogram all = new Histogram(60_000_000_000L, 3);
    long errorCount = 0;
    for (int i = 0; i < callers; i++) {
      all.add(histograms.get(i));
      errorCount += errors[i];
    }
    return new Result(all.getTotalCount() * 1e9 / elapsed, all, errorCount);
  }
}
