package dev.cohort.messaging;

import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Transitions;
import java.util.List;
import java.util.Set;

/**
 * The status of one outbox row. The legal transitions are the table in {@code MOVES}; every change
 * is a compare-and-set ({@code UPDATE … WHERE status = :from}) checked against it.
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

  private static final Transitions<OutboxStatus> MOVES =
      Transitions.of(OutboxStatus.class, OutboxStatus::code)
          .allow(PENDING, SENT, DEAD)
          .allow(DEAD, PENDING, DISCARDED)
          .allow(SENT)
          .allow(DISCARDED)
          .allow(VOIDED)
          .build();

  private final String code;

  OutboxStatus(String code) {
    this.code = code;
  }

  /** The readable string stored in the table. */
  public String code() {
    return code;
  }

  public static OutboxStatus fromCode(String code) {
    return MOVES
        .find(code)
        .orElseThrow(() ->
            new InvalidInputException(
                "unknown outbox status '" + code + "'; the statuses are " + List.of(values())));
  }

  public Set<OutboxStatus> next() {
    return MOVES.next(this);
  }

  public boolean canTransitionTo(OutboxStatus to) {
    return MOVES.allows(this, to);
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
    return MOVES.legal();
  }

  @Override
  public String toString() {
    return code;
  }
}
