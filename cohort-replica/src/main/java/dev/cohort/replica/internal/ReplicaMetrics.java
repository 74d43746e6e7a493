package dev.cohort.replica.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters: {@code cohort.replica.reads{source,target,role}}, {@code
 * cohort.replica.fallbacks{source,reason}}, {@code cohort.replica.waits{source,outcome}} (timer),
 * {@code cohort.replica.lag.bytes|transactions|seconds{source,replica}}, {@code
 * cohort.replica.failovers{source}}.
 */
final class ReplicaMetrics {
  private final MeterRegistry registry;
  private final String source;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  ReplicaMetrics(MeterRegistry registry, String source) {
    this.registry = registry;
    this.source = source;
  }

  void read(Node node, boolean primary) {
    String key = (primary ? "p:" : "r:") + node.name;
    counters
        .computeIfAbsent(
            key,
            k ->
                Counter.builder("cohort.replica.reads")
                    .description("Reads routed, per target")
                    .tag("source", source)
                    .tag("target", node.name)
                    .tag("role", primary ? "primary" : "replica")
                    .register(registry))
        .increment();
  }

  void fallback(String reason) {
    counters
        .computeIfAbsent(
            "f:" + reason,
            k ->
                Counter.builder("cohort.replica.fallbacks")
                    .description("Replica-eligible reads sent to the primary, per reason")
                    .tag("source", source)
                    .tag("reason", reason)
                    .register(registry))
        .increment();
  }

  void waited(boolean applied, Duration took) {
    Timer.builder("cohort.replica.waits")
        .description("Waits for a replica to apply a token")
        .tag("source", source)
        .tag("outcome", applied ? "applied" : "timeout")
        .register(registry)
        .record(took);
  }

  void failover() {
    Counter.builder("cohort.replica.failovers")
        .tag("source", source)
        .register(registry)
        .increment();
  }

  void registerLag(Node node) {
    Gauge.builder("cohort.replica.lag.bytes", node, n -> n.lagBytes)
        .tag("source", source)
        .tag("replica", node.name)
        .register(registry);
    Gauge.builder("cohort.replica.lag.transactions", node, n -> n.lagTransactions)
        .tag("source", source)
        .tag("replica", node.name)
        .register(registry);
    Gauge.builder("cohort.replica.lag.seconds", node, n -> n.lagTime.toNanos() / 1e9)
        .tag("source", source)
        .tag("replica", node.name)
        .register(registry);
  }
}
