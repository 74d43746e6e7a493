package dev.cohort.replica.internal;

import dev.cohort.replica.Balancing;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Picks one of the replicas that qualify for a read, by the configured {@link Balancing}. */
final class Balancer {
  private final Balancing balancing;
  private final AtomicLong turn = new AtomicLong();

  Balancer(Balancing balancing) {
    this.balancing = balancing;
  }

  Node pick(List<Node> candidates) {
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    long t = turn.getAndIncrement();
    return switch (balancing) {
      case ROUND_ROBIN -> candidates.get((int) Math.floorMod(t, (long) candidates.size()));
      case WEIGHTED -> weighted(candidates, t);
      case LEAST_LAG -> {
        Duration least = candidates.stream().map(n -> n.lagTime).min(Duration::compareTo).get();
        List<Node> best = candidates.stream().filter(n -> n.lagTime.equals(least)).toList();
        yield best.get((int) Math.floorMod(t, (long) best.size()));
      }
    };
  }

  private static Node weighted(List<Node> candidates, long t) {
    long total = 0;
    for (Node n : candidates) {
      total += n.weight;
    }
    long slot = Math.floorMod(t, total);
    for (Node n : candidates) {
      slot -= n.weight;
      if (slot < 0) {
        return n;
      }
    }
    return candidates.get(candidates.size() - 1);
  }
}
