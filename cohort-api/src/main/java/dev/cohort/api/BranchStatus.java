package dev.cohort.api;

import java.util.List;
import java.util.Set;

/**
 * The status of one branch. A TCC branch goes REGISTERED → SUCCEEDED (try done) → CONFIRMED or
 * CANCELLED; a saga step goes REGISTERED → SUCCEEDED (action done) → COMPENSATED, or SKIPPED when
 * the saga rolled back before reaching it. REFUSED records a business refusal; the branch is still
 * cancelled or compensated, because a refusal may race with work the participant did.
 */
public enum BranchStatus {
  REGISTERED("registered"),
  SUCCEEDED("succeeded"),
  REFUSED("refused"),
  CONFIRMED("confirmed"),
  CANCELLED("cancelled"),
  COMPENSATED("compensated"),
  SKIPPED("skipped");

  private static final Transitions<BranchStatus> MOVES =
      Transitions.of(BranchStatus.class, BranchStatus::code)
          .allow(REGISTERED, SUCCEEDED, REFUSED, CANCELLED, COMPENSATED, SKIPPED)
          .allow(SUCCEEDED, CONFIRMED, CANCELLED, COMPENSATED)
          .allow(REFUSED, CANCELLED, COMPENSATED)
          .allow(CONFIRMED)
          .allow(CANCELLED)
          .allow(COMPENSATED)
          .allow(SKIPPED)
          .build();

  private final String code;

  BranchStatus(String code) {
    this.code = code;
  }

  /** The readable string written to the log. */
  public String code() {
    return code;
  }

  public static BranchStatus fromCode(String code) {
    return MOVES
        .find(code)
        .orElseThrow(() -> new InvalidInputException("unknown branch status code '" + code + "'"));
  }

  public Set<BranchStatus> next() {
    return MOVES.next(this);
  }

  public boolean isTerminal() {
    return next().isEmpty();
  }

  public boolean canTransitionTo(BranchStatus to) {
    return MOVES.allows(this, to);
  }

  /**
   * Returns {@code to} if the move from this status is legal.
   *
   * @throws IllegalTransitionException naming gid, branch, this status and {@code to} otherwise
   */
  public BranchStatus transition(Gid gid, BranchId branch, BranchStatus to) {
    if (!canTransitionTo(to)) {
      throw new IllegalTransitionException(gid, branch, code, to.code, MOVES.codesFrom(this));
    }
    return to;
  }

  public static List<List<BranchStatus>> legalTransitions() {
    return MOVES.legal();
  }
}
