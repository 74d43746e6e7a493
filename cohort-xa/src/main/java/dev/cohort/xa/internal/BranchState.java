package dev.cohort.xa.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

  private static final Map<BranchState, Set<BranchState>> NEXT = new EnumMap<>(BranchState.class);

  static {
    allow(ACTIVE, SUSPENDED, ENDED);
    allow(SUSPENDED, ACTIVE, ENDED);
    allow(ENDED, ACTIVE, PREPARED, READ_ONLY, COMMITTED, ROLLED_BACK, FAILED);
    allow(PREPARED, COMMITTED, ROLLED_BACK, FAILED);
    allow(READ_ONLY);
    allow(COMMITTED);
    allow(ROLLED_BACK);
    allow(FAILED);
  }

  private final String code;

  BranchState(String code) {
    this.code = code;
  }

  private static void allow(BranchState from, BranchState... to) {
    Set<BranchState> targets = EnumSet.noneOf(BranchState.class);
    Collections.addAll(targets, to);
    NEXT.put(from, Collections.unmodifiableSet(targets));
  }

  public String code() {
    return code;
  }

  public boolean canTransitionTo(BranchState to) {
    return NEXT.get(this).contains(to);
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
    List<List<BranchState>> all = new ArrayList<>();
    for (BranchState from : values()) {
      for (BranchState to : NEXT.get(from)) {
        all.add(List.of(from, to));
      }
    }
    return all;
  }
}
