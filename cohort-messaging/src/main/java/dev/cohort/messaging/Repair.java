package dev.cohort.messaging;

import java.util.Objects;

/**
 * What a {@link ReconciliationRule} decided for one stuck entity: a repair with its action, nothing
 * (the entity is consistent after all), or an alert when it cannot tell.
 *
 * @param kind null for "nothing to do"
 * @param detail what was found and what is done, for the journal and the alert
 * @param action null unless {@code kind} is FORWARD, BACKWARD or ALTERNATIVE
 */
public record Repair(RepairKind kind, String detail, Action action) {
  /** The repair itself; runs once per decision, and again on a later run if it threw. */
  @FunctionalInterface
  public interface Action {
    void apply() throws Exception;
  }

  public static Repair forward(String detail, Action action) {
    return new Repair(RepairKind.FORWARD, detail, Objects.requireNonNull(action, "action"));
  }

  public static Repair backward(String detail, Action action) {
    return new Repair(RepairKind.BACKWARD, detail, Objects.requireNonNull(action, "action"));
  }

  public static Repair alternative(String detail, Action action) {
    return new Repair(RepairKind.ALTERNATIVE, detail, Objects.requireNonNull(action, "action"));
  }

  /** The rule cannot decide: recorded and alerted. */
  public static Repair unfixable(String detail) {
    return new Repair(RepairKind.UNFIXABLE, detail, null);
  }

  /** Consistent after all: nothing is recorded. */
  public static Repair none() {
    return new Repair(null, "", null);
  }
}
