package dev.cohort.participant;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
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

  private static final Map<ThreePcBranchStatus, Set<ThreePcBranchStatus>> NEXT =
      new EnumMap<>(ThreePcBranchStatus.class);

  static {
    allow(VOTED, PRE_COMMITTED, ABORTED);
    allow(PRE_COMMITTED, COMMITTED, ABORTED);
    allow(COMMITTED);
    allow(ABORTED);
  }

  private final String code;

  ThreePcBranchStatus(String code) {
    this.code = code;
  }

  private static void allow(ThreePcBranchStatus from, ThreePcBranchStatus... to) {
    Set<ThreePcBranchStatus> targets = EnumSet.noneOf(ThreePcBranchStatus.class);
    Collections.addAll(targets, to);
    NEXT.put(from, Collections.unmodifiableSet(targets));
  }

  /** The readable string shown in answers and logs. */
  public String code() {
    return code;
  }

  /** The status stored as {@code code}; throws naming the code when there is none. */
  public static ThreePcBranchStatus fromCode(String code) {
    for (ThreePcBranchStatus s : values()) {
      if (s.code.equals(code)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown 3PC branch status '" + code + "'");
  }

  public Set<ThreePcBranchStatus> next() {
    return NEXT.get(this);
  }

  public boolean canTransitionTo(ThreePcBranchStatus to) {
    return next().contains(to);
  }

  public boolean isTerminal() {
    return next().isEmpty();
  }

  /** Every legal (from, to) pair, for the test that proves each one is exercised. */
  public static List<List<ThreePcBranchStatus>> legalTransitions() {
    List<List<ThreePcBranchStatus>> all = new ArrayList<>();
    for (ThreePcBranchStatus from : values()) {
      for (ThreePcBranchStatus to : from.next()) {
        all.add(List.of(from, to));
      }
    }
    return all;
  }
}
