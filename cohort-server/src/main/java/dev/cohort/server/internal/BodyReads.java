package dev.cohort.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Reads request bodies with a read timeout: when no byte of a body arrives for {@code timeout}, the
 * connection is closed, so a client that sends half a body and stalls does not hold a connection
 * and a thread for ever. Helidon's own {@code readTimeout} socket option is not applied to the
 * server's sockets, hence this guard.
 *
 * <p>A reading thread registers itself; {@link #sweep()}, run on a schedule, interrupts the threads
 * whose read made no progress within the timeout. Interrupting a thread blocked on a socket channel
 * closes that channel: the read fails and the connection ends. A read that finishes first is never
 * interrupted (a flag checked under the read's lock).
 */
public final class BodyReads {
  private static final int CHUNK = 16 * 1024;

  private final long timeoutNanos;
  private final LongSupplier nanoTime;
  private final Map<Thread, Read> reading = new ConcurrentHashMap<>();

  /** Thrown to the reader whose body stalled; its connection is closed, nothing can be answered. */
  public static final class StalledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StalledException(Duration timeout, Throwable cause) {
      super(
          "no byte of the request body arrived for " + timeout + "; the connection was closed",
          cause);
    }
  }

  private static final class Read {
    private final Thread thread;
    private long progressAt;
    private boolean done;
    private boolean fired;

    Read(Thread thread, long now) {
      this.thread = thread;
      this.progressAt = now;
    }
  }

  private final Duration timeout;

  public BodyReads(Duration timeout, LongSupplier nanoTime) {
    this.timeout = timeout;
    this.timeoutNanos = timeout.toNanos();
    this.nanoTime = nanoTime;
  }

  /** How often {@link #sweep()} should run: a quarter of the timeout, at least every 5 s. */
  public Duration sweepPeriod() {
    Duration quarter = timeout.dividedBy(4);
    Duration max = Duration.ofSeconds(5);
    return quarter.compareTo(max) > 0 ? max : quarter.isZero() ? Duration.ofMillis(1) : quarter;
  }

  /**
   * Up to {@code max} bytes of {@code in}.
   *
   * @throws StalledException when the body stalled and its connection was closed
   */
  public byte[] read(InputStream in, int max) throws IOException {
    Read read = new Read(Thread.currentThread(), nanoTime.getAsLong());
    reading.put(read.thread, read);
    boolean fired;
    byte[] buffer = new byte[Math.min(max, CHUNK)];
    int length = 0;
    try {
      while (length < max) {
        if (length == buffer.length) {
          buffer = Arrays.copyOf(buffer, Math.min(max, buffer.length * 2));
        }
        int n = in.read(buffer, length, buffer.length - length);
        if (n < 0) {
          break;
        }
        length += n;
        synchronized (read) {
          read.progressAt = nanoTime.getAsLong();
        }
      }
    } catch (IOException | RuntimeException e) {
      if (finish(read)) {
        throw new StalledException(timeout, e);
      }
      throw e;
    }
    fired = finish(read);
    if (fired) {
      throw new StalledException(timeout, null);
    }
    return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
  }

  /** Ends a read; whether the sweep interrupted it (the interrupt flag is cleared). */
  private boolean finish(Read read) {
    reading.remove(read.thread, read);
    synchronized (read) {
      read.done = true;
      if (read.fired) {
        boolean unused = Thread.interrupted();
        return true;
      }
      return false;
    }
  }

  /** Interrupts every read without progress for the timeout; returns how many. */
  public int sweep() {
    long now = nanoTime.getAsLong();
    int closed = 0;
    for (Read read : reading.values()) {
      synchronized (read) {
        if (!read.done && !read.fired && now - read.progressAt >= timeoutNanos) {
          read.fired = true;
          read.thread.interrupt();
          closed++;
        }
      }
    }
    return closed;
  }
}
