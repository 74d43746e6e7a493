package dev.cohort.api;

import java.util.List;
import java.util.Set;

/**
 * The status of a global transaction. The legal transitions are the table in {@code MOVES} below;
 * {@link #transition} is the only way the engine changes a status.
 *
 * <pre>
 * OPEN ──► BEGUN / COMMITTING / ROLLING_BACK  (submitted, committed or aborted)
 * OPEN ──► COMMITTED / ROLLED_BACK             (a transaction without branches)
 * BEGUN ──► COMMITTING ──► COMMITTED
 *   │  └──► ROLLING_BACK ─► ROLLED_BACK
 *   ├─────► COMMITTED              (a saga whose last step succeeded)
 *   └─────► FAILED ◄── COMMITTING / ROLLING_BACK  (delivery window exhausted)
 * FAILED ──► BEGUN / COMMITTING / ROLLING_BACK  (operator: retry now)
 * FAILED ──► RESOLVED                            (operator: mark resolved)
 * </pre>
 */
public enum GlobalStatus {
  /**
   * Created through the incremental API and still registering branches; nothing is decided. Rolled
   * back when its deadline passes before a commit.
   */
  OPEN("open"),
  /** Branches registered; tries (TCC) or forward steps (saga) under way. */
  BEGUN("begun"),
  /** Commit decided and durable; confirms are being delivered. */
  COMMITTING("committing"),
  /** Rollback decided and durable; cancels or compensations are being delivered. */
  ROLLING_BACK("rolling_back"),
  COMMITTED("committed"),
  ROLLED_BACK("rolled_back"),
  /**
   * Delivery did not succeed within the window, or a participant broke its contract. Waits for an
   * operator; never dropped.
   */
  FAILED("failed"),
  /** An operator settled a FAILED transaction by hand and recorded why. */
  RESOLVED("resolved");

  private static final Transitions<GlobalStatus> MOVES =
      Transitions.of(GlobalStatus.class, GlobalStatus::code)
          .allow(OPEN, BEGUN, COMMITTING, ROLLING_BACK, COMMITTED, ROLLED_BACK)
          .allow(BEGUN, COMMITTING, ROLLING_BACK, COMMITTED, FAILED)
          .allow(COMMITTING, COMMITTED, FAILED)
          .allow(ROLLING_BACK, ROLLED_BACK, FAILED)
          .allow(FAILED, BEGUN, COMMITTING, ROLLING_BACK, RESOLVED)
          .allow(COMMITTED)
          .allow(ROLLED_BACK)
          .allow(RESOLVED)
          .build();

  private final String code;

  GlobalStatus(String code) {
    this.code = code;
  }

  /** The readable string written to the log. */
  public String code() {
    return code;
  }

  public static GlobalStatus fromCode(String code) {
    return MOVES
        .find(code)
        .orElseThrow(() -> new InvalidInputException("unknown global status code '" + code + "'"));
  }

  /** The statuses this one may move to. */
  public Set<GlobalStatus> next() {
    return MOVES.next(this);
  }

  public boolean isTerminal() {
    return next().isEmpty();
  }

  public boolean canTransitionTo(GlobalStatus to) {
    return MOVES.allows(this, to);
  }

  /**
   * Returns {@code to} if the move from this status is legal.
   *
   * @throws IllegalTransitionException naming the gid, this status and {@code to} otherwise
   */
  public GlobalStatus transition(Gid gid, GlobalStatus to) {
    if (!canTransitionTo(to)) {
      throw new IllegalTransitionException(gid, null, code, to.code, MOVES.codesFrom(this));
    }
    return to;
  }

  /** Every legal (from, to) pair, for tests that prove each one is exercised. */
  public static List<List<GlobalStatus>> legalTransitions() {
    return MOVES.legal();
  }
}
