package dev.cohort.messaging;

import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Transitions;
import java.util.List;
import java.util.Set;

/**
 * The status of one inbox row. Legal transitions in {@code MOVES}; changes are compare-and-set.
 *
 * <pre>
 * APPLIED                 (the handler's effect committed with the row)
 * PARKED ──► APPLIED      (operator: replay, the handler now accepts it)
 *    └─────► DISCARDED    (operator: drop it)
 * </pre>
 */
public enum InboxStatus {
  /** The handler ran and its effect committed in the same local transaction as this row. */
  APPLIED("applied"),
  /**
   * Not applied: unknown type, a payload that does not parse, or a handler that refused it. Kept
   * with its payload and the reason: the consumer's visible dead-letter path.
   */
  PARKED("parked"),
  /** An operator dropped a parked message. */
  DISCARDED("discarded");

  private static final Transitions<InboxStatus> MOVES =
      Transitions.of(InboxStatus.class, InboxStatus::code)
          .allow(APPLIED)
          .allow(PARKED, APPLIED, DISCARDED)
          .allow(DISCARDED)
          .build();

  private final String code;

  InboxStatus(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static InboxStatus fromCode(String code) {
    return MOVES
        .find(code)
        .orElseThrow(() ->
            new InvalidInputException(
                "unknown inbox status '" + code + "'; the statuses are " + List.of(values())));
  }

  public Set<InboxStatus> next() {
    return MOVES.next(this);
  }

  public boolean canTransitionTo(InboxStatus to) {
    return MOVES.allows(this, to);
  }

  public InboxStatus transition(InboxStatus to) {
    if (!canTransitionTo(to)) {
      throw new IllegalStateException(
          "an inbox message cannot go from "
              + code
              + " to "
              + to.code
              + "; from "
              + code
              + " it can go to "
              + next());
    }
    return to;
  }

  public static List<List<InboxStatus>> legalTransitions() {
    return MOVES.legal();
  }

  @Override
  public String toString() {
    return code;
  }
}
