package dev.cohort.messaging;

import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Transitions;
import java.util.List;
import java.util.Set;

/**
 * The status of a choreographed saga as the {@link ChoreographyTracker} sees it from the events.
 * Legal transitions in {@code MOVES}; changes are compare-and-set.
 *
 * <pre>
 * RUNNING ──► COMPENSATING ──► COMPENSATED
 *    │  └───► COMPLETED  └───► STALLED
 *    ├──────► COMPENSATED     (the failure and its compensation arrived together)
 *    └──────► STALLED ──► RUNNING / COMPENSATING / COMPLETED / COMPENSATED  (a late event)
 * </pre>
 */
public enum SagaStatus {
  RUNNING("running"),
  /** A step failed; compensating events are flowing. */
  COMPENSATING("compensating"),
  COMPLETED("completed"),
  COMPENSATED("compensated"),
  /** Past its deadline without finishing; an alert was raised. */
  STALLED("stalled");

  private static final Transitions<SagaStatus> MOVES =
      Transitions.of(SagaStatus.class, SagaStatus::code)
          .allow(RUNNING, COMPENSATING, COMPLETED, COMPENSATED, STALLED)
          .allow(COMPENSATING, COMPENSATED, STALLED)
          .allow(STALLED, RUNNING, COMPENSATING, COMPLETED, COMPENSATED)
          .allow(COMPLETED)
          .allow(COMPENSATED)
          .build();

  private final String code;

  SagaStatus(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static SagaStatus fromCode(String code) {
    return MOVES
        .find(code)
        .orElseThrow(() ->
            new InvalidInputException(
                "unknown saga status '" + code + "'; the statuses are " + List.of(values())));
  }

  public Set<SagaStatus> next() {
    return MOVES.next(this);
  }

  public boolean isTerminal() {
    return next().isEmpty();
  }

  public boolean canTransitionTo(SagaStatus to) {
    return MOVES.allows(this, to);
  }

  public static List<List<SagaStatus>> legalTransitions() {
    return MOVES.legal();
  }

  @Override
  public String toString() {
    return code;
  }
}
