package dev.cohort.xa.internal;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * A driver's {@link XAResource} with the name of the pool it came from, so that messages and the
 * log say "resource 'orders-pg'" and recovery can tell which resources it has scanned. Every call
 * goes to the driver unchanged; other transaction managers see an ordinary XAResource.
 */
public final class NamedResource implements XAResource {
  private final String name;
  private final XAResource delegate;
  private volatile boolean failed;

  public NamedResource(String name, XAResource delegate) {
    this.name = name;
    this.delegate = delegate;
  }

  public String name() {
    return name;
  }

  /**
   * Whether a call failed with XAER_RMFAIL or XAER_RMERR: the connection behind it is lost or in a
   * state the driver will not leave, so its pool must not lend it again.
   */
  public boolean failed() {
    return failed;
  }

  private XAException seen(XAException e) {
    if (e.errorCode == XAException.XAER_RMFAIL || e.errorCode == XAException.XAER_RMERR) {
      failed = true;
    }
    return e;
  }

  /** The driver's resource behind {@code resource}, or {@code resource} itself. */
  static XAResource unwrap(XAResource resource) {
    return resource instanceof NamedResource n ? n.delegate : resource;
  }

  /** The pool's name, or a name made from the class when the resource came from elsewhere. */
  static String nameOf(XAResource resource) {
    return resource instanceof NamedResource n
        ? n.name
        : resource.getClass().getSimpleName() + "@" + Integer.toHexString(resource.hashCode());
  }

  @Override
  public void commit(Xid xid, boolean onePhase) throws XAException {
    try {
      delegate.commit(xid, onePhase);
    } catch (XAException e) {
      throw seen(e);
    }
  }

  @Override
  public void end(Xid xid, int flags) throws XAException {
    try {
      delegate.end(xid, flags);
    } catch (XAException e) {
      throw seen(e);
    }
  }

  @Override
  public void forget(Xid xid) throws XAException {
    try {
      delegate.forget(xid);
    } catch (XAException e) {
      throw seen(e);
    }
  }

  @Override
  public int getTransactionTimeout() throws XAException {
    return delegate.getTransactionTimeout();
  }

  @Override
  public boolean isSameRM(XAResource other) throws XAException {
    return delegate.isSameRM(unwrap(other));
  }

  @Override
  public int prepare(Xid xid) throws XAException {
    try {
      return delegate.prepare(xid);
    } catch (XAException e) {
      throw seen(e);
    }
  }

  @Override
  public Xid[] recover(int flag) throws XAException {
    try {
      return delegate.recover(flag);
    } catch (XAException e) {
      throw seen(e);
    }
  }

  @Override
  public void rollback(Xid xid) throws XAException {
    try {
      delegate.rollback(xid);
    } catch (XAException e) {
      throw seen(e);
    }
  }

  @Override
  public boolean setTransactionTimeout(int seconds) throws XAException {
    return delegate.setTransactionTimeout(seconds);
  }

  @Override
  public void start(Xid xid, int flags) throws XAException {
    try {
      delegate.start(xid, flags);
    } catch (XAException e) {
      throw seen(e);
    }
  }

  @Override
  public String toString() {
    return "XAResource '" + name + "'";
  }
}
