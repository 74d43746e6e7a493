package dev.cohort.participant;

import dev.cohort.api.Transitions;
import java.util.List;
import java.util.Set;

/**
 * Where one branch of a three-phase commit stands at the participant ({@link ThreePhaseBranches}).
 * The legal transitions are the table below; a branch without a status has not voted.
 *
 * <pre>
 * (none) ──► VOTED ──► PRE_COMMITTED ──► COMMITTED   (do-commit, or its own timeout)
 * (none) ──► ABORTED ◄─── VOTED          (abort, or no pre-commit in time)
 *                   ◄─── PRE_COMMITTED  (abort)
 * </pre>
 */
public enum ThreePcBranchStatus {
  /** Voted yes; nothing is locked. Aborts by itself when no pre-commit comes in time. */
  VOTED("voted"),
  /** The work is done and prepared, holding its locks. Commits by itself when nothing comes. */
  PRE_COMMITTED("pre_committed"),
  COMMITTED("committed"),
  ABORTED("aborted");

  private static final Transitions<ThreePcBranchStatus> MOVES =
      Transitions.of(ThreePcBranchStatus.class, ThreePcBranchStatus::code)
          .allow(VOTED, PRE_COMMITTED, ABORTED)
          .allow(PRE_COMMITTED, COMMITTED, ABORTED)
          .allow(COMMITTED)
          .allow(ABORTED)
          .build();

  private final String code;

  ThreePcBranchStatus(String code) {
    this.code = code;
  }

  /** The readable string shown in answers and logs. */
  public String code() {
    return code;
  }

  /** The status stored as {@code code}; throws naming the code when there is none. */
  public static ThreePcBranchStatus fromCode(String code) {
    return MOVES
        .find(code)
        .orElseThrow(
            () -> new IllegalArgumentException("unknown 3PC branch status '" + code + "'"));
  }

  public Set<ThreePcBranchStatus> next() {
    return MOVES.next(this);
  }

  public boolean canTransitionTo(ThreePcBranchStatus to) {
    return MOVES.allows(this, to);
  }

  public boolean isTerminal() {
    return next().isEmpty();
  }

  /** Every legal (from, to) pair, for the test that proves each one is exercised. */
  public static List<List<ThreePcBranchStatus>> legalTransitions() {
    return MOVES.legal();
  }
}
