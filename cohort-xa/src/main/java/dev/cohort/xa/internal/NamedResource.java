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

  public NamedResource(String name, XAResource delegate) {
    this.name = name;
    this.delegate = delegate;
  }

  public String name() {
    return name;
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
    delegate.commit(xid, onePhase);
  }

  @Override
  public void end(Xid xid, int flags) throws XAException {
    delegate.end(xid, flags);
  }

  @Override
  public void forget(Xid xid) throws XAException {
    delegate.forget(xid);
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
    return delegate.prepare(xid);
  }

  @Override
  public Xid[] recover(int flag) throws XAException {
    return delegate.recover(flag);
  }

  @Override
  public void rollback(Xid xid) throws XAException {
    delegate.rollback(xid);
  }

  @Override
  public boolean setTransactionTimeout(int seconds) throws XAException {
    return delegate.setTransactionTimeout(seconds);
  }

  @Override
  public void start(Xid xid, int flags) throws XAException {
    delegate.start(xid, flags);
  }

  @Override
  public String toString() {
    return "XAResource '" + name + "'";
  }
}
