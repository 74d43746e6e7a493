package dev.cohort.xa.internal;

import dev.cohort.xa.XaHooks;
import javax.transaction.xa.XAResource;

/** One resource manager's part of a transaction: its resource, Xid and state. */
final class Branch {
  final String resource;
  final XAResource xaResource;
  final XaXid xid;
  final int number;
  private final XaHooks hooks;
  private BranchState state = BranchState.ACTIVE;

  Branch(String resource, XAResource xaResource, XaXid xid, int number, XaHooks hooks) {
    this.resource = resource;
    this.xaResource = xaResource;
    this.xid = xid;
    this.number = number;
    this.hooks = hooks;
    hooks.moved("branch", "new", BranchState.ACTIVE.code());
  }

  BranchState state() {
    return state;
  }

  /** The one place a branch's state changes. */
  void moveTo(BranchState to) {
    BranchState from = state;
    state = from.transition(resource + " " + xid, to);
    hooks.moved("branch", from.code(), to.code());
  }

  /** Whether {@code other} is this branch's resource, seen through a naming wrapper or not. */
  boolean holds(XAResource other) {
    return xaResource == other || NamedResource.unwrap(xaResource) == NamedResource.unwrap(other);
  }
}
