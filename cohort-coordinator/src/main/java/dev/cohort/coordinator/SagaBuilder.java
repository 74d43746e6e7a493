package dev.cohort.coordinator;

import dev.cohort.api.Gid;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.coordinator.internal.Engine;
import dev.cohort.coordinator.internal.Plan;
import java.util.Objects;

/** Describes one saga in Java; {@link #execute()} runs it. Not thread-safe; use once. */
public final class SagaBuilder {
  private final Engine engine;
  private final SagaDefinition.Builder definition = SagaDefinition.builder();
  private Gid gid;

  SagaBuilder(Engine engine) {
    this.engine = engine;
  }

  public SagaBuilder gid(Gid value) {
    this.gid = Objects.requireNonNull(value, "gid");
    return this;
  }

  public SagaBuilder timeout(java.time.Duration value) {
    definition.timeout(value);
    return this;
  }

  /** A step with backward recovery: if it fails, completed steps are compensated in reverse. */
  public SagaBuilder step(String registeredStep, String payload) {
    definition.step(registeredStep, payload);
    return this;
  }

  /** A step with forward recovery: if it fails, it is retried until it succeeds. */
  public SagaBuilder forwardStep(String registeredStep, String payload) {
    definition.forwardStep(registeredStep, payload);
    return this;
  }

  public Outcome execute() {
    SagaDefinition built = definition.build();
    return engine.execute(Mode.SAGA, new Plan(gid, built.timeout(), false, built.toSteps()));
  }
}
