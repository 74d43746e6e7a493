package dev.cohort.spring.internal;

import dev.cohort.api.Mode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The starter's meters: {@code cohort.participant.calls} (timer; tags {@code endpoint}, {@code op},
 * {@code status}) and {@code cohort.global.transactions} (timer; tags {@code mode}, {@code
 * outcome}) for transactions begun by {@code @GlobalTransaction}.
 */
final class MicrometerMetrics implements ParticipantMetrics, TransactionMetrics {
  private final ObjectProvider<MeterRegistry> registries;
  private volatile MeterRegistry registry;

  /** The registry is looked up at the first meter: Actuator may create it after this bean. */
  MicrometerMetrics(ObjectProvider<MeterRegistry> registries) {
    this.registries = registries;
  }

  private MeterRegistry registry() {
    MeterRegistry r = registry;
    if (r == null) {
      r = registries.getIfAvailable();
      registry = r;
    }
    return r;
  }

  @Override
  public void record(String endpoint, String op, int status, long nanos) {
    MeterRegistry registry = registry();
    if (registry == null) {
      return;
    }
    Timer.builder("cohort.participant.calls")
        .tag("endpoint", endpoint)
        .tag("op", op)
        .tag("status", Integer.toString(status))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void finished(Mode mode, String outcome, long nanos) {
    MeterRegistry registry = registry();
    if (registry == null) {
      return;
    }
    Timer.builder("cohort.global.transactions")
        .tag("mode", mode.code())
        .tag("outcome", outcome)
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }
}
