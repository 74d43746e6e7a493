package dev.cohort.replica;

import dev.cohort.api.Transitions;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the poller last learnt about a node. The legal transitions are the table in {@code MOVES}
 * below; {@link #transition} is the only way a node's health changes.
 *
 * <pre>
 * STARTING ──► UP / WRITABLE / DOWN        (the first probe)
 * UP ◄──────► LAGGING                      (lag above maxLag; back below half of it)
 * UP / LAGGING ──► WRITABLE                (promoted, or a demoted primary writable again)
 * WRITABLE ──► UP                          (turned read-only: a replica now)
 * UP / LAGGING / WRITABLE ──► DOWN         (a probe or a connection failed)
 * DOWN ──► UP / WRITABLE                   (answers again; lag is checked from UP)
 * </pre>
 *
 * Which node takes the writes is decided apart from health: the configured primary until a
 * failover, see {@link ReplicaStatus#primary()}.
 */
public enum NodeHealth {
  /** Not probed yet. */
  STARTING,
  /** Answers, read-only, close enough to the primary: replica reads may go to it. */
  UP,
  /** Answers, read-only, but more than {@code maxLag} behind: out of the rotation. */
  LAGGING,
  /** Answers and accepts writes: the primary, or a replica that was promoted. */
  WRITABLE,
  /** A probe or a connection failed; probed again after a backoff. */
  DOWN;

  private static final Transitions<NodeHealth> MOVES =
      Transitions.of(NodeHealth.class, NodeHealth::code)
          .allow(STARTING, UP, WRITABLE, DOWN)
          .allow(UP, LAGGING, WRITABLE, DOWN)
          .allow(LAGGING, UP, WRITABLE, DOWN)
          .allow(WRITABLE, UP, DOWN)
          .allow(DOWN, UP, WRITABLE)
          .build();

  /** The lower-case name used in messages. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The statuses this one may move to. */
  public Set<NodeHealth> next() {
    return MOVES.next(this);
  }

  public boolean canTransitionTo(NodeHealth to) {
    return MOVES.allows(this, to);
  }

  /**
   * Returns {@code to} if the move from this status is legal.
   *
   * @throws IllegalStateException naming the node, this status and {@code to} otherwise
   */
  public NodeHealth transition(String node, NodeHealth to) {
    if (!canTransitionTo(to)) {
      List<String> legal = MOVES.codesFrom(this);
      throw new IllegalStateException(
          "node "
              + node
              + " cannot move from "
              + code()
              + " to "
              + to.code()
              + "; from "
              + code()
              + " it may move to "
              + legal);
    }
    return to;
  }

  /** Every legal (from, to) pair, for tests that prove each one is exercised. */
  public static List<List<NodeHealth>> legalTransitions() {
    return MOVES.legal();
  }
}
