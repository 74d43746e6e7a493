package dev.cohort.coordinator;

import dev.cohort.api.BranchId;
import dev.cohort.api.Gid;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.coordinator.internal.Engine;
import dev.cohort.coordinator.internal.Plan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Describes one TCC transaction; {@link #execute()} runs it. Not thread-safe; use once. */
public final class TccBuilder {
  private final Engine engine;
  private final List<Plan.Step> steps = new ArrayList<>();
  private Gid gid;
  private Duration timeout;
  private boolean parallel;
  private boolean presumedAbort;

  TccBuilder(Engine engine) {
    this.engine = engine;
  }

  /** Uses this gid instead of a random one (e.g. an idempotency key of the business request). */
  public TccBuilder gid(Gid value) {
    this.gid = Objects.requireNonNull(value, "gid");
    return this;
  }

  /** The try phase must finish within this, or the transaction rolls back. */
  public TccBuilder timeout(Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new InvalidInputException("timeout must be a positive duration but was " + value);
    }
    this.timeout = value;
    return this;
  }

  /** Tries all branches at once instead of one after another. */
  public TccBuilder parallel() {
    this.parallel = true;
    return this;
  }

  /**
   * Presumed abort: nothing is written before the tries; the first write is the decision (one
   * durable write fewer per transaction). If this coordinator stops during the tries, the log has
   * no trace of the transaction, so its participants must settle tries held too long themselves:
   * they ask {@link Coordinator#outcomeForParticipant} (over HTTP, {@code GET
   * /v1/transactions/{gid}/outcome} with a reader token; cohort-participant's {@code
   * HeldBranchResolver} does it), which records an unknown gid as rolled back, and they cancel. Use
   * it only with participants that do so, and a hold threshold longer than the timeout.
   */
  public TccBuilder presumedAbort() {
    this.presumedAbort = true;
    return this;
  }

  /** A branch with a generated id ({@code b1}, {@code b2}, ...). */
  public TccBuilder branch(String participant, String payload) {
    return branch(BranchId.of("b" + (steps.size() + 1)), participant, payload);
  }

  public TccBuilder branch(BranchId id, String participant, String payload) {
    steps.add(new Plan.Step(Objects.requireNonNull(id, "id"), participant, payload, false));
    return this;
  }

  /**
   * Begins (durably; with {@link #presumedAbort()} nothing is written yet), tries, decides and
   * delivers; returns where the transaction ended up.
   */
  public Outcome execute() {
    return engine.execute(Mode.TCC, new Plan(gid, timeout, parallel, presumedAbort, steps));
  }
}
