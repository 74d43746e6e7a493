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
 * The status of one outbox row. The legal transitions are the table in the static block; every
 * change is a compare-and-set ({@code UPDATE … WHERE status = :from}) checked against it.
 *
 * <pre>
 * PENDING ──► SENT        (the broker confirmed it)
 *    │  └───► DEAD        (attempts exhausted: the visible dead-letter path)
 * DEAD ─────► PENDING     (operator: retry)
 * DEAD ─────► DISCARDED   (operator: give up, releasing the aggregate's later messages)
 * VOIDED                  (a check-back found no local transaction and closed the id for good)
 * </pre>
 */
public enum OutboxStatus {
  /** Written by a committed local transaction; waiting for the relay (or for its next attempt). */
  PENDING("pending"),
  /** The broker confirmed it. */
  SENT("sent"),
  /** The relay gave up after its attempts; holds the aggregate's later messages until handled. */
  DEAD("dead"),
  /** An operator dropped a dead message. */
  DISCARDED("discarded"),
  /**
   * Not a message: a check-back found no local transaction for this id and wrote this row, so that
   * the transaction, if it still runs, fails on the id's unique key instead of committing late.
   */
  VOIDED("voided");

  private static final Map<OutboxStatus, Set<OutboxStatus>> NEXT =
      new EnumMap<>(OutboxStatus.class);

  static {
    allow(PENDING, SENT, DEAD);
    allow(DEAD, PENDING, DISCARDED);
    allow(SENT);
    allow(DISCARDED);
    allow(VOIDED);
  }

  private final String code;

  OutboxStatus(String code) {
    this.code = code;
  }

  private static void allow(OutboxStatus from, OutboxStatus... to) {
    Set<OutboxStatus> targets = EnumSet.noneOf(OutboxStatus.class);
    Collections.addAll(targets, to);
    NEXT.put(from, Collections.unmodifiableSet(targets));
  }

  /** The readable string stored in the table. */
  public String code() {
    return code;
  }

  public static OutboxStatus fromCode(String code) {
    for (OutboxStatus s : values()) {
      if (s.code.equals(code)) {
        return s;
      }
    }
    throw new InvalidInputException(
        "unknown outbox status '" + code + "'; the statuses are " + List.of(values()));
  }

  public Set<OutboxStatus> next() {
    return NEXT.get(this);
  }

  public boolean canTransitionTo(OutboxStatus to) {
    return next().contains(to);
  }

  /** Returns {@code to} if the move is legal; throws naming both and the legal ones otherwise. */
  public OutboxStatus transition(OutboxStatus to) {
    if (!canTransitionTo(to)) {
      throw new IllegalStateException(
          "an outbox message cannot go from "
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

  /** Every legal (from, to) pair, for the test that proves each one is exercised. */
  public static List<List<OutboxStatus>> legalTransitions() {
    List<List<OutboxStatus>> all = new ArrayList<>();
    for (OutboxStatus from : values()) {
      for (OutboxStatus to : from.next()) {
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
