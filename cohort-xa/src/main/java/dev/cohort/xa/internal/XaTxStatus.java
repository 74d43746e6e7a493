package dev.cohort.xa.internal;

import dev.cohort.api.Transitions;
import jakarta.transaction.Status;
import java.util.List;

/**
 * The status of one in-process XA transaction. It lives in memory only (the log keeps a committing
 * transaction as a global transaction in mode {@code xa}); {@link XaTx} changes it in one place.
 *
 * <pre>
 * ACTIVE ──► MARKED_ROLLBACK ──► ROLLING_BACK ──► ROLLED_BACK
 *   ├──────► ROLLING_BACK                      └► HEURISTIC
 *   ├──────► PREPARING ──► COMMITTING / ROLLING_BACK / COMMITTED (every vote read-only)
 *   └──────► COMMITTING ──► COMMITTED            (one resource: one phase; none: nothing to do)
 *               ├─────────► ROLLED_BACK          (one-phase commit rolled back by the resource)
 *               ├─────────► IN_DOUBT             (decision logged, phase two left to recovery)
 *               └─────────► HEURISTIC            (a resource decided on its own)
 * </pre>
 */
public enum XaTxStatus {
  ACTIVE("active", Status.STATUS_ACTIVE),
  MARKED_ROLLBACK("marked_rollback", Status.STATUS_MARKED_ROLLBACK),
  PREPARING("preparing", Status.STATUS_PREPARING),
  COMMITTING("committing", Status.STATUS_COMMITTING),
  ROLLING_BACK("rolling_back", Status.STATUS_ROLLING_BACK),
  COMMITTED("committed", Status.STATUS_COMMITTED),
  ROLLED_BACK("rolled_back", Status.STATUS_ROLLEDBACK),
  /** Commit decided and logged, but a branch could not be reached: recovery commits it. */
  IN_DOUBT("in_doubt", Status.STATUS_UNKNOWN),
  /** A resource reported a heuristic outcome; the log holds it as FAILED with the details. */
  HEURISTIC("heuristic", Status.STATUS_UNKNOWN);

  private static final Transitions<XaTxStatus> MOVES =
      Transitions.of(XaTxStatus.class, XaTxStatus::code)
          .allow(ACTIVE, MARKED_ROLLBACK, ROLLING_BACK, PREPARING, COMMITTING)
          .allow(MARKED_ROLLBACK, ROLLING_BACK)
          .allow(PREPARING, COMMITTING, ROLLING_BACK, COMMITTED)
          .allow(COMMITTING, COMMITTED, ROLLED_BACK, IN_DOUBT, HEURISTIC)
          .allow(ROLLING_BACK, ROLLED_BACK, HEURISTIC)
          .allow(COMMITTED)
          .allow(ROLLED_BACK)
          .allow(IN_DOUBT)
          .allow(HEURISTIC)
          .build();

  private final String code;
  private final int jtaStatus;

  XaTxStatus(String code, int jtaStatus) {
    this.code = code;
    this.jtaStatus = jtaStatus;
  }

  /** The readable name used in messages and logs. */
  public String code() {
    return code;
  }

  /** The {@link Status} constant that Jakarta Transactions callers see. */
  public int jtaStatus() {
    return jtaStatus;
  }

  public boolean canTransitionTo(XaTxStatus to) {
    return MOVES.next(this).contains(to);
  }

  public boolean isTerminal() {
    return MOVES.next(this).isEmpty();
  }

  /**
   * Returns {@code to} if the move is legal.
   *
   * @throws IllegalStateException naming the transaction, this status, {@code to} and the legal
   *     next statuses otherwise
   */
  public XaTxStatus transition(String gid, XaTxStatus to) {
    if (!canTransitionTo(to)) {
      List<String> legal = MOVES.codesFrom(this);
      throw new IllegalStateException(
          "XA transaction "
              + gid
              + " cannot move from "
              + code
              + " to "
              + to.code
              + "; from "
              + code
              + " it may move to "
              + (legal.isEmpty() ? "nothing (it is finished)" : String.join(", ", legal)));
    }
    return to;
  }

  /** Every legal (from, to) pair, for the test that proves each one is exercised. */
  public static List<List<XaTxStatus>> legalTransitions() {
    return MOVES.legal();
  }
}
