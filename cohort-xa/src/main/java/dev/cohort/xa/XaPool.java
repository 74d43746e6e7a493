package dev.cohort.xa;

import dev.cohort.xa.internal.ConnectionPool;
import dev.cohort.xa.internal.NamedResource;
import jakarta.transaction.TransactionManager;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Objects;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import javax.sql.XAConnection;
import javax.sql.XADataSource;
import javax.transaction.xa.XAResource;

/**
 * A pooled {@link DataSource} over any {@link XADataSource} (MariaDB's {@code MariaDbDataSource},
 * PostgreSQL's {@code PGXADataSource}, ...). Inside a transaction of {@code tm} — Cohort's {@link
 * XaTransactionManager} or any other Jakarta Transactions manager — the first {@code getConnection}
 * enlists one connection, later ones in the same transaction get that same connection, and it
 * returns to the pool after completion. Outside a transaction it is an ordinary auto-commit pool.
 */
public final class XaPool implements DataSource, AutoCloseable {
  public static final int DEFAULT_MAX_SIZE = 10;
  public static final Duration DEFAULT_BORROW_TIMEOUT = Duration.ofSeconds(30);

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final ConnectionPool pool;

  private XaPool(ConnectionPool pool) {
    this.pool = pool;
  }

  /**
   * A pool named {@code name} over {@code dataSource}, enlisting in transactions of {@code tm}.
   *
   * @param name names this resource in messages, the log and recovery; keep it stable across
   *     restarts
   */
  public static Builder builder(String name, XADataSource dataSource, TransactionManager tm) {
    return new Builder(name, dataSource, tm);
  }

  public String name() {
    return pool.name();
  }

  /**
   * Whether {@code resource} is one this pool enlisted; for registering the pool with another
   * manager's recovery (Atomikos asks this before it accepts an enlistment).
   */
  public boolean owns(XAResource resource) {
    return resource instanceof NamedResource n && n.name().equals(name());
  }

  XAConnection openRecoveryConnection() throws SQLException {
    return pool.openUnpooled();
  }

  @Override
  public Connection getConnection() throws SQLException {
    return pool.getConnection();
  }

  /** Not supported: the credentials are the XADataSource's. */
  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException(
        "XaPool '" + name() + "' uses its XADataSource's credentials; call getConnection()");
  }

  @Override
  public void close() {
    pool.close();
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("XaPool logs through SLF4J");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("XaPool '" + name() + "' is not a " + type.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }

  @Override
  public String toString() {
    return "XaPool '" + name() + "'";
  }

  /** Options of a pool. */
  public static final class Builder {
    private final String name;
    private final XADataSource dataSource;
    private final TransactionManager tm;
    private int maxSize = DEFAULT_MAX_SIZE;
    private Duration borrowTimeout = DEFAULT_BORROW_TIMEOUT;

    private Builder(String name, XADataSource dataSource, TransactionManager tm) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "XaPool name '"
                + name
                + "' is not 1-64 letters, digits, '.', '_' or '-'; it names the resource in the"
                + " log");
      }
      this.name = name;
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource: pass an XADataSource");
      this.tm = Objects.requireNonNull(tm, "tm: pass the Jakarta TransactionManager");
    }

    /** At most this many physical connections; default 10. */
    public Builder maxSize(int value) {
      if (value < 1) {
        throw new IllegalArgumentException(
            "XaPool '" + name + "' maxSize " + value + " must be at least 1");
      }
      this.maxSize = value;
      return this;
    }

    /** How long {@code getConnection} waits for a free connection; default 30 s. */
    public Builder borrowTimeout(Duration value) {
      if (value == null || value.isNegative()) {
        throw new IllegalArgumentException(
            "XaPool '" + name + "' borrowTimeout " + value + " must be zero or positive");
      }
      this.borrowTimeout = value;
      return this;
    }

    public XaPool build() {
      return new XaPool(new ConnectionPool(name, dataSource, tm, maxSize, borrowTimeout));
    }
  }
}
