package dev.cohort.server.internal;

import java.time.Duration;

/**
 * One connection's deadline for something it must send — its request headers ({@link HeaderReads}),
 * its TLS handshake and first request line ({@link TlsHandshakes}) — shared by the listener that
 * waits for it and the sweep that closes the connection once it is overdue. Both decide under this
 * object's lock, so what arrives just as the sweep fired is refused, never handled half way.
 */
final class SweptDeadline {
  /** What a sweep does with a deadline. */
  enum Sweep {
    NOT_DUE,
    /** Overdue now: the sweep closes the connection. */
    FIRE,
    /** Fired at an earlier sweep: anything racing that close has seen it by now. */
    FIRED_BEFORE
  }

  private final long startedAt;
  private boolean arrived;
  private boolean fired;

  SweptDeadline(long startedAt) {
    this.startedAt = startedAt;
  }

  /** How often a sweep should run for {@code timeout}: a quarter of it, at least every 5 s. */
  static Duration sweepPeriod(Duration timeout) {
    Duration quarter = timeout.dividedBy(4);
    Duration max = Duration.ofSeconds(5);
    return quarter.compareTo(max) > 0 ? max : quarter.isZero() ? Duration.ofMillis(1) : quarter;
  }

  /** What was awaited arrived; true when the sweep had fired already (the caller refuses it). */
  synchronized boolean arrive() {
    arrived = true;
    return fired;
  }

  synchronized boolean fired() {
    return fired;
  }

  /** A sweep at {@code now} (nanoseconds): fires the deadline once it is overdue. */
  synchronized Sweep sweep(long now, long timeoutNanos) {
    if (fired) {
      return Sweep.FIRED_BEFORE;
    }
    if (arrived || now - startedAt < timeoutNanos) {
      return Sweep.NOT_DUE;
    }
    fired = true;
    return Sweep.FIRE;
  }
}
