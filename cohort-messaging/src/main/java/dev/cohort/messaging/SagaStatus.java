package dev.cohort.messaging;

import dev.cohort.api.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The status of a choreographed saga as the {@link ChoreographyTracker} sees it from the events.
 * Legal transitions in the static block; changes are compare-and-set.
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

  private static final Map<SagaStatus, Set<SagaStatus>> NEXT = new EnumMap<>(SagaStatus.class);

  static {
    allow(RUNNING, COMPENSATING, COMPLETED, COMPENSATED, STALLED);
    allow(COMPENSATING, COMPENSATED, STALLED);
    allow(STALLED, RUNNING, COMPENSATING, COMPLETED, COMPENSATED);
    allow(COMPLETED);
    allow(COMPENSATED);
  }

  private final String code;

  SagaStatus(String code) {
    this.code = code;
  }

  private static void allow(SagaStatus from, SagaStatus... to) {
    Set<SagaStatus> targets = EnumSet.noneOf(SagaStatus.class);
    Collections.addAll(targets, to);
    NEXT.put(from, Collections.unmodifiableSet(targets));
  }

  public String code() {
    return code;
  }

  public static SagaStatus fromCode(String code) {
    for (SagaStatus s : values()) {
      if (s.code.equals(code)) {
        return s;
      }
    }
    throw new InvalidInputException(
        "unknown saga status '" + code + "'; the statuses are " + List.of(values()));
  }

  public Set<SagaStatus> next() {
    return NEXT.get(this);
  }

  public boolean isTerminal() {
    return next().isEmpty();
  }

  public boolean canTransitionTo(SagaStatus to) {
    return next().contains(to);
  }

  public static List<List<SagaStatus>> legalTransitions() {
    List<List<SagaStatus>> all = new ArrayList<>();
    for (SagaStatus from : values()) {
      for (SagaStatus to : from.next()) {
        all.add(List.of(from, to));
      }
    }
    return all;
  }

  @Override
  public String toString() {
    return code;
  }
}
