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
 * The status of one inbox row. Legal transitions in the static block; changes are compare-and-set.
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

  private static final Map<InboxStatus, Set<InboxStatus>> NEXT = new EnumMap<>(InboxStatus.class);

  static {
    allow(APPLIED);
    allow(PARKED, APPLIED, DISCARDED);
    allow(DISCARDED);
  }

  private final String code;

  InboxStatus(String code) {
    this.code = code;
  }

  private static void allow(InboxStatus from, InboxStatus... to) {
    Set<InboxStatus> targets = EnumSet.noneOf(InboxStatus.class);
    Collections.addAll(targets, to);
    NEXT.put(from, Collections.unmodifiableSet(targets));
  }

  public String code() {
    return code;
  }

  public static InboxStatus fromCode(String code) {
    for (InboxStatus s : values()) {
      if (s.code.equals(code)) {
        return s;
      }
    }
    throw new InvalidInputException(
        "unknown inbox status '" + code + "'; the statuses are " + List.of(values()));
  }

  public Set<InboxStatus> next() {
    return NEXT.get(this);
  }

  public boolean canTransitionTo(InboxStatus to) {
    return next().contains(to);
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
    List<List<InboxStatus>> all = new ArrayList<>();
    for (InboxStatus from : values()) {
      for (InboxStatus to : from.next()) {
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
