package dev.cohort.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
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

  private static final Map<BranchStatus, Set<BranchStatus>> NEXT =
      new EnumMap<>(BranchStatus.class);

  static {
    allow(REGISTERED, SUCCEEDED, REFUSED, CANCELLED, COMPENSATED, SKIPPED);
    allow(SUCCEEDED, CONFIRMED, CANCELLED, COMPENSATED);
    allow(REFUSED, CANCELLED, COMPENSATED);
    allow(CONFIRMED);
    allow(CANCELLED);
    allow(COMPENSATED);
    allow(SKIPPED);
  }

  private final String code;

  BranchStatus(String code) {
    this.code = code;
  }

  private static void allow(BranchStatus from, BranchStatus... to) {
    Set<BranchStatus> targets = EnumSet.noneOf(BranchStatus.class);
    Collections.addAll(targets, to);
    NEXT.put(from, Collections.unmodifiableSet(targets));
  }

  /** The readable string written to the log. */
  public String code() {
    return code;
  }

  public static BranchStatus fromCode(String code) {
    for (BranchStatus status : values()) {
      if (status.code.equals(code)) {
        return status;
      }
    }
    throw new InvalidInputException("unknown branch status code '" + code + "'");
  }

  public Set<BranchStatus> next() {
    return NEXT.get(this);
  }

  public boolean isTerminal() {
    return next().isEmpty();
  }

  public boolean canTransitionTo(BranchStatus to) {
    return next().contains(to);
  }

  /**
   * Returns {@code to} if the move from this status is legal.
   *
   * @throws IllegalTransitionException naming gid, branch, this status and {@code to} otherwise
   */
  public BranchStatus transition(Gid gid, BranchId branch, BranchStatus to) {
    if (!canTransitionTo(to)) {
      throw new IllegalTransitionException(gid, branch, code, to.code, GlobalStatus.codes(next()));
    }
    return to;
  }

  public static List<List<BranchStatus>> legalTransitions() {
    List<List<BranchStatus>> all = new ArrayList<>();
    for (BranchStatus from : values()) {
      for (BranchStatus to : from.next()) {
        all.add(List.of(from, to));
      }
    }
    return all;
  }
}
