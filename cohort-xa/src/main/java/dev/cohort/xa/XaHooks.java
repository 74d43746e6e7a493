package dev.cohort.xa;

import javax.transaction.xa.XAException;
import javax.transaction.xa.Xid;

/**
 * Points where a test injects faults into the manager or watches it move: a resource manager that
 * fails at prepare, a crash between the logged decision and phase two, a heuristic outcome. A
 * production manager uses {@link #NONE}.
 */
public interface XaHooks {
  XaHooks NONE = new XaHooks() {};

  /** Before {@code xid} on {@code resource} is prepared; throwing is the resource voting no. */
  default void beforePrepare(String resource, Xid xid) throws XAException {}

  /**
   * After the commit decision is durable, before phase two. A {@link RuntimeException} thrown here
   * propagates out of {@code commit()} with the branches still prepared: the manager behaves as if
   * its process had died there, and only recovery finishes the transaction.
   */
  default void afterDecision(String gid) {}

  /**
   * Before {@code xid} on {@code resource} is committed, in phase two or in recovery; throwing is
   * the resource's answer to the commit.
   */
  default void beforeCommit(String resource, Xid xid) throws XAException {}

  /**
   * A transaction ({@code kind} "tx") or a branch ("branch") moved between the named statuses; for
   * tests that prove every transition is exercised.
   */
  default void moved(String kind, String from, String to) {}
}
