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

  private record Sample(Instant at, Position position) {}

  private final Deque<Sample> samples = new ArrayDeque<>();

  /** The last {@link LagDistribution#WINDOW} lag times measured, a ring; guarded by this. */
  private final long[] recentLagNanos = new long[LagDistribution.WINDOW];

  private int recentCount;
  private int recentNext;

  /** The primary was at {@code position} at {@code now}. */
  synchronized void primaryAt(Instant now, Position position) {
    Sample last = samples.peekLast();
    if (last == null || !last.position().covers(position)) {
      samples.addLast(new Sample(now, position));
      while (samples.size() > MAX_SAMPLES) {
        samples.removeFirst();
      }
    }
  }

  /** A new primary: the old one's history says nothing about it. */
  synchronized void forget() {
    samples.clear();
  }

  /** Sets the lag of replica {@code n} from its last known position. */
  void measure(Node n, Instant now) {
    Position at = n.position;
    if (at == null) {
      n.lagTime = Duration.ZERO;
      return;
    }
    Sample latest;
    Instant firstUncovered = null;
    synchronized (this) {
      latest = samples.peekLast();
      for (Sample s : samples) {
        if (!at.covers(s.position())) {
          firstUncovered = s.at();
          break;
        }
      }
    }
    if (latest != null && latest.position().kindTag().equals(at.kindTag())) {
      n.lagBytes = latest.position().bytesAhead(at);
      n.lagTransactions = latest.position().transactionsAhead(at);
    }
    n.lagTime = firstUncovered == null ? Duration.ZERO : Duration.between(firstUncovered, now);
    remember(n.lagTime);
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
