package dev.cohort.messaging;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters for the relay, the outbox and the inbox, so the dead-letter path shows on a
 * dashboard and can page (Micrometer is an optional dependency: only this class needs it).
 *
 * <pre>{@code
 * MessagingMetrics metrics = MessagingMetrics.of(registry);
 * metrics.relay(relay);            // cohort.messaging.relay.published / .retried / .dead.lettered
 * metrics.outbox(outbox);          // cohort.messaging.outbox.backlog / .dead / .oldest.pending.age
 * metrics.inbox(inbox);            // cohort.messaging.inbox.applied / .duplicates / .parked{consumer}
 * }</pre>
 *
 * Counters read the components' own counts ({@link Relay#stats()}, {@link Inbox#stats()}); the
 * outbox and parked gauges query the service's database when the registry is scraped.
 */
public final class MessagingMetrics {
  private final MeterRegistry registry;
  private final Clock clock;

  private MessagingMetrics(MeterRegistry registry, Clock clock) {
    this.registry = Objects.requireNonNull(registry, "registry must not be null");
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
  }

  public static MessagingMetrics of(MeterRegistry registry) {
    return new MessagingMetrics(registry, Clock.systemUTC());
  }

  /** With {@code clock} for the age of the oldest pending message. */
  public static MessagingMetrics of(MeterRegistry registry, Clock clock) {
    return new MessagingMetrics(registry, clock);
  }

  /** Published, retried (failed attempts that will be tried again) and dead-lettered messages. */
  public MessagingMetrics relay(Relay relay) {
    counter("cohort.messaging.relay.published", relay, r -> r.stats().published(), "confirmed");
    counter(
        "cohort.messaging.relay.retried",
        relay,
        r -> r.stats().failedAttempts(),
        "failed publish attempts, tried again after a backoff");
    counter(
        "cohort.messaging.relay.dead.lettered",
        relay,
        r -> r.stats().deadLettered(),
        "messages the relay gave up on (DEAD, waiting for an operator)");
    return this;
  }

  /** The backlog (PENDING rows), the dead letters (DEAD rows) and the oldest pending row's age. */
  public MessagingMetrics outbox(Outbox outbox) {
    gauge(
        "cohort.messaging.outbox.backlog",
        outbox,
        o -> o.count(OutboxStatus.PENDING),
        "messages written and not yet confirmed by the broker");
    gauge(
        "cohort.messaging.outbox.dead",
        outbox,
        o -> o.count(OutboxStatus.DEAD),
        "dead letters waiting for an operator");
    Gauge.builder(
            "cohort.messaging.outbox.oldest.pending.age",
            outbox,
            o ->
                o.oldestPending()
                    .map(at -> Math.max(0, Duration.between(at, clock.instant()).toMillis()) / 1e3)
                    .orElse(0.0))
        .description("how long the oldest pending message has waited (0 when none)")
        .baseUnit("seconds")
        .register(registry);
    return this;
  }

  /** Applied, duplicate and parked receipts of one consumer, and its parked messages now. */
  public MessagingMetrics inbox(Inbox inbox) {
    String consumer = inbox.consumer();
    FunctionCounter.builder("cohort.messaging.inbox.applied", inbox, i -> i.stats().applied())
        .tag("consumer", consumer)
        .register(registry);
    FunctionCounter.builder("cohort.messaging.inbox.duplicates", inbox, i -> i.stats().duplicates())
        .tag("consumer", consumer)
        .description("redeliveries skipped")
        .register(registry);
    FunctionCounter.builder("cohort.messaging.inbox.parked", inbox, i -> i.stats().parked())
        .tag("consumer", consumer)
        .description("messages parked with a reason (dead letters of the consumer)")
        .register(registry);
    Gauge.builder("cohort.messaging.inbox.parked.current", inbox, Inbox::parkedCount)
        .tag("consumer", consumer)
        .description("parked messages waiting for an operator")
        .register(registry);
    return this;
  }

  private <T> void counter(String name, T source, ToDoubleFunction<T> count, String description) {
    FunctionCounter.builder(name, source, count).description(description).register(registry);
  }

  private <T> void gauge(String name, T source, ToDoubleFunction<T> value, String description) {
    Gauge.builder(name, source, value).description(description).register(registry);
  }
}
