package dev.cohort.xa.internal;

import dev.cohort.api.Transitions;
import java.util.List;

/**
 * Where one XA branch (one resource manager in one transaction) stands; {@link Branch} changes it
 * in one place.
 *
 * <pre>
 * ACTIVE ◄──► SUSPENDED           (delist TMSUSPEND / enlist again)
 *   └──► ENDED ◄─ SUSPENDED       (delist TMSUCCESS or TMFAIL, or before completion)
 * ENDED ──► ACTIVE                 (enlisted again: TMJOIN)
 * ENDED ──► PREPARED / READ_ONLY   (phase one)
 * ENDED ──► COMMITTED              (one phase)
 * ENDED / PREPARED ──► COMMITTED / ROLLED_BACK / FAILED
 * </pre>
 */
public enum BranchState {
  ACTIVE("active"),
  SUSPENDED("suspended"),
  ENDED("ended"),
  PREPARED("prepared"),
  /** Voted read-only: already finished, left out of phase two. */
  READ_ONLY("read_only"),
  COMMITTED("committed"),
  ROLLED_BACK("rolled_back"),
  /** Phase two could not reach it, or it decided heuristically; recovery or an operator acts. */
  FAILED("failed");

  private static final Transitions<BranchState> MOVES =
      Transitions.of(BranchState.class, BranchState::code)
          .allow(ACTIVE, SUSPENDED, ENDED)
          .allow(SUSPENDED, ACTIVE, ENDED)
          .allow(ENDED, ACTIVE, PREPARED, READ_ONLY, COMMITTED, ROLLED_BACK, FAILED)
          .allow(PREPARED, COMMITTED, ROLLED_BACK, FAILED)
          .allow(READ_ONLY)
          .allow(COMMITTED)
          .allow(ROLLED_BACK)
          .allow(FAILED)
          .build();

  private final String code;

  BranchState(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public boolean canTransitionTo(BranchState to) {
    return MOVES.next(this).contains(to);
  }

  /**
   * Returns {@code to} if the move is legal.
   *
   * @throws IllegalStateException naming the branch, this state and {@code to} otherwise
   */
  public BranchState transition(String branch, BranchState to) {
    if (!canTransitionTo(to)) {
      throw new IllegalStateException(
          "XA branch " + branch + " cannot move from " + code + " to " + to.code);
    }
    return to;
  }

  /** Every legal (from, to) pair, for the test that proves each one is exercised. */
  public static List<List<BranchState>> legalTransitions() {
    return MOVES.legal();
  }
}
