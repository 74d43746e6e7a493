package dev.cohort.xa.internal;

import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.ConnectionEvent;
import javax.sql.ConnectionEventListener;
import javax.sql.XAConnection;
import javax.sql.XADataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of physical XA connections. Inside a transaction a connection is taken once, its
 * XAResource enlisted, and every {@code getConnection} of that transaction gets a handle on the
 * same connection; it returns to the pool after completion. Outside a transaction a connection is
 * lent in auto-commit and returns when its handle is closed.
 *
 * <p>Why our own pool: HikariCP does not pool {@code XAConnection}s (its README says so), and the
 * XA-aware pool of Commons DBCP2 ({@code BasicManagedDataSource}, up to 2.14.0) is compiled against
 * {@code javax.transaction}, not the Jakarta namespace this manager implements. The pool needs
 * little: a bound, a free list, and the handle events JDBC's {@code PooledConnection} already
 * fires.
 */
public final class ConnectionPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionPool.class);

  private final String name;
  private final XADataSource dataSource;
  private final TransactionManager tm;
  private final int maxSize;
  private final Duration borrowTimeout;
  private final Semaphore permits;
  private final ArrayDeque<Pooled> idle = new ArrayDeque<>();
  private final Map<Transaction, Pooled> bound = new ConcurrentHashMap<>();
  private final Set<Pooled> all = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public ConnectionPool(
      String name,
      XADataSource dataSource,
      TransactionManager tm,
      int maxSize,
      Duration borrowTimeout) {
    this.name = name;
    this.dataSource = dataSource;
    this.tm = tm;
    this.maxSize = maxSize;
    this.borrowTimeout = borrowTimeout;
    this.permits = new Semaphore(maxSize, true);
  }

  public String name() {
    return name;
  }

  /** A physical connection outside the pool, for recovery. */
  public XAConnection openUnpooled() throws SQLException {
    return dataSource.getXAConnection();
  }

  public Connection getConnection() throws SQLException {
    if (closed) {
      throw new SQLException("pool '" + name + "' is closed");
    }
    Transaction tx = currentTransaction();
    if (tx == null) {
      Pooled p = borrow();
      p.lentOutside = true;
      try {
        return p.xa.getConnection();
      } catch (SQLException e) {
        p.broken = true;
        release(p);
        throw e;
      }
    }
    Pooled p = bound.get(tx);
    if (p == null) {
      p = enlist(tx);
    }
    return p.xa.getConnection();
  }

  private Transaction currentTransaction() throws SQLException {
    try {
      Transaction tx = tm.getTransaction();
      if (tx == null) {
        return null;
      }
      int status = tx.getStatus();
      if (status == Status.STATUS_ACTIVE) {
        return tx;
      }
      if (status == Status.STATUS_MARKED_ROLLBACK) {
        throw new SQLException(
            "pool '" + name + "': the current transaction is marked rollback-only; roll it back");
      }
      return null;
    } catch (SystemException e) {
      throw new SQLException("pool '" + name + "': the transaction manager failed", e);
    }
  }

  private Pooled enlist(Transaction tx) throws SQLException {
    Pooled p = borrow();
    try {
      tx.enlistResource(p.resource);
      tx.registerSynchronization(new Release(tx, p));
      p.tx = tx;
      bound.put(tx, p);
      return p;
    } catch (RollbackException | SystemException | RuntimeException e) {
      release(p);
      throw new SQLException(
          "pool '" + name + "' could not enlist a connection in " + tx + ": " + e.getMessage(), e);
    }
  }

  private Pooled borrow() throws SQLException {
    try {
      if (!permits.tryAcquire(borrowTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new SQLException(
            "pool '"
                + name
                + "' has no free connection after "
                + borrowTimeout.toMillis()
                + " ms: all "
                + maxSize
                + " are in use; raise maxSize or shorten the transactions");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("pool '" + name + "': interrupted while waiting for a connection", e);
    }
    Pooled p;
    synchronized (idle) {
      p = idle.pollFirst();
    }
    if (p != null) {
      return p;
    }
    try {
      return new Pooled(dataSource.getXAConnection());
    } catch (SQLException | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  private void release(Pooled p) {
    p.tx = null;
    p.lentOutside = false;
    if (p.broken || p.resource.failed() || closed) {
      p.closeQuietly();
    } else {
      synchronized (idle) {
        idle.addFirst(p);
      }
    }
    permits.release();
  }

  /**
   * Closes every connection, lent or idle. A branch still prepared on one stays prepared in its
   * database until recovery finishes it.
   */
  @Override
  public void close() {
    closed = true;
    synchronized (idle) {
      idle.clear();
    }
    for (Pooled p : all) {
      p.closeQuietly();
    }
  }

  /** Returns a connection that served a transaction once the transaction has finished. */
  private final class Release implements Synchronization {
    private final Transaction tx;
    private final Pooled p;

    Release(Transaction tx, Pooled p) {
      this.tx = tx;
      this.p = p;
    }

    @Override
    public void beforeCompletion() {}

    @Override
    public void afterCompletion(int status) {
      bound.remove(tx);
      if (status != Status.STATUS_COMMITTED && status != Status.STATUS_ROLLEDBACK) {
        p.broken = true; // its branch may be in doubt: never lend it again
      }
      release(p);
    }
  }

  /** One physical connection with its XAResource. */
  private final class Pooled implements ConnectionEventListener {
    final XAConnection xa;
    final NamedResource resource;
    volatile Transaction tx;
    volatile boolean lentOutside;
    volatile boolean broken;

    Pooled(XAConnection xa) throws SQLException {
      this.xa = xa;
      this.resource = new NamedResource(name, xa.getXAResource());
      xa.addConnectionEventListener(this);
      all.add(this);
    }

    @Override
    public void connectionClosed(ConnectionEvent event) {
      if (lentOutside && tx == null) {
        resetAutoCommit();
        release(this);
      }
    }

    @Override
    public void connectionErrorOccurred(ConnectionEvent event) {
      broken = true;
    }

    /** A caller outside a transaction may have left auto-commit off: roll back and restore it. */
    private void resetAutoCommit() {
      try {
        Connection c = xa.getConnection();
        if (!c.getAutoCommit()) {
          c.rollback();
          c.setAutoCommit(true);
        }
      } catch (SQLException e) {
        broken = true;
      }
    }

    void closeQuietly() {
      all.remove(this);
      try {
        xa.close();
      } catch (SQLException e) {
        LOG.debug("closing a connection of pool {} failed", name, e);
      }
    }
  }
}
