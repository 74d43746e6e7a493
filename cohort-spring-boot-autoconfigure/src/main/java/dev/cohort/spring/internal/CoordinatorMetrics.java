package dev.cohort.spring.internal;

import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.coordinator.CoordinatorListener;
import dev.cohort.coordinator.FailureAlert;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The embedded coordinator's meters: {@code cohort.coordinator.transitions} (tags {@code mode},
 * {@code status}: every durable status change) and {@code cohort.coordinator.failed} (alerts).
 */
final class CoordinatorMetrics implements CoordinatorListener {
  private final ObjectProvider<MeterRegistry> registries;

  CoordinatorMetrics(ObjectProvider<MeterRegistry> registries) {
    this.registries = registries;
  }

  @Override
  public void onTransition(Gid gid, Mode mode, GlobalStatus from, GlobalStatus to) {
    MeterRegistry r = registries.getIfAvailable();
    if (r != null) {
      Counter.builder("cohort.coordinator.transitions")
          .tag("mode", mode.code())
          .tag("status", to.code())
          .register(r)
          .increment();
    }
  }

  @Override
  public void onFailed(FailureAlert alert) {
    MeterRegistry r = registries.getIfAvailable();
    if (r != null) {
      Counter.builder("cohort.coordinator.failed").register(r).increment();
    }
  }
}
