package dev.cohort.replica.internal;

import dev.cohort.replica.ReplicaOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A read sent to the primary instead of a replica: counted always, logged now and then. */
final class Fallbacks {
  private static final Logger log = LoggerFactory.getLogger(Fallbacks.class);
  private static final Duration WARN_EVERY = Duration.ofSeconds(10);

  private final ReplicaOptions options;
  private final Roles roles;
  private final ReplicaMetrics metrics;
  private final Map<String, Instant> lastWarned = new ConcurrentHashMap<>();

  Fallbacks(ReplicaOptions options, Roles roles, ReplicaMetrics metrics) {
    this.options = options;
    this.roles = roles;
    this.metrics = metrics;
  }

  /** Records a fallback for {@code reason} and returns the primary route. */
  Cluster.Route toPrimary(String reason, String why) {
    metrics.fallback(reason);
    Instant now = options.clock().instant();
    Instant last = lastWarned.get(reason);
    if (last == null || Duration.between(last, now).compareTo(WARN_EVERY) >= 0) {
      lastWarned.put(reason, now);
      log.warn("cohort-replica source '{}': {}", options.sourceId(), why);
    }
    return new Cluster.Route(roles.primary(), null, reason);
  }
}
