package dev.cohort.replica.internal;

import dev.cohort.replica.LagDistribution;
import dev.cohort.replica.Position;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Remembers when the primary reached which position, so a replica's lag can be told in time: how
 * long ago the primary was where the replica is now.
 */
final class LagSampler {
  private static final int MAX_SAMPLES = 4096;

  /**
   * The primary was first seen at {@code position} at {@code at}, and still seen there at {@code
   * lastSeen} (a probe's instant is taken before its query, so the position read covers every
   * commit before that instant).
   */
  private static final class Sample {
    final Instant at;
    final Position position;
    Instant lastSeen;

    Sample(Instant at, Position position) {
      this.at = at;
      this.position = position;
      this.lastSeen = at;
    }
  }

  private final Deque<Sample> samples = new ArrayDeque<>();

  /** The last {@link LagDistribution#WINDOW} lag times measured, a ring; guarded by this. */
  private final long[] recentLagNanos = new long[LagDistribution.WINDOW];

  private int recentCount;
  private int recentNext;

  /** The primary was at {@code position} at {@code now}. */
  synchronized void primaryAt(Instant now, Position position) {
    Sample last = samples.peekLast();
    if (last == null || !last.position.covers(position)) {
      samples.addLast(new Sample(now, position));
      while (samples.size() > MAX_SAMPLES) {
        samples.removeFirst();
      }
    } else if (now.isAfter(last.lastSeen)) {
      last.lastSeen = now;
    }
  }

  /** A new primary: the old one's history says nothing about it. */
  synchronized void forget() {
    samples.clear();
  }

  /**
   * Sets the lag of replica {@code n} from its last known position, and the instant up to which its
   * data is known complete: the last time the primary was seen at a position the replica covers.
   * Bounded-staleness reads use that instant, whose age keeps growing when the poller runs late;
   * the lag alone would stay at its last value.
   */
  void measure(Node n, Instant now) {
    Position at = n.position;
    if (at == null) {
      n.lagTime = Duration.ZERO;
      n.completeAsOf = null;
      return;
    }
    Sample latest;
    Instant firstUncovered = null;
    Instant completeAsOf = null;
    synchronized (this) {
      latest = samples.peekLast();
      for (Sample s : samples) {
        if (!sameKind(s.position, at) || !at.covers(s.position)) {
          firstUncovered = s.at;
          break;
        }
        completeAsOf = s.lastSeen;
      }
    }
    if (latest != null && sameKind(latest.position, at)) {
      n.lagBytes = latest.position.bytesAhead(at);
      n.lagTransactions = latest.position.transactionsAhead(at);
    }
    n.lagTime = firstUncovered == null ? Duration.ZERO : Duration.between(firstUncovered, now);
    n.completeAsOf = completeAsOf;
    remember(n.lagTime);
  }

  private static boolean sameKind(Position a, Position b) {
    return a.kindTag().equals(b.kindTag());
  }

  private synchronized void remember(Duration lagTime) {
    recentLagNanos[recentNext] = lagTime.toNanos();
    recentNext = (recentNext + 1) % recentLagNanos.length;
    recentCount = Math.min(recentCount + 1, recentLagNanos.length);
  }

  /** The recent lag times of every replica, as a snapshot. */
  synchronized LagDistribution distribution() {
    return LagDistribution.ofNanos(Arrays.copyOf(recentLagNanos, recentCount));
  }
}
