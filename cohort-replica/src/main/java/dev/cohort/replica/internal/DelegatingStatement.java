package dev.cohort.replica.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

/**
 * A {@link Statement} that passes every call to {@link #target()}. Spelt out method by method so
 * the compiler checks each one; subclasses override what they route or track.
 */
abstract class DelegatingStatement<S extends Statement> implements Statement {
  /** The physical statement a call goes to. */
  abstract S target() throws SQLException;

  @Override
  public void addBatch(String sql) throws SQLException {
    target().addBatch(sql);
  }

  @Override
  public void cancel() throws SQLException {
    target().cancel();
  }

  @Override
  public void clearBatch() throws SQLException {
    target().clearBatch();
  }

  @Override
  public void clearWarnings() throws SQLException {
    target().clearWarnings();
  }

  @Override
  public void close() throws SQLException {
    target().close();
  }

  @Override
  public void closeOnCompletion() throws SQLException {
    target().closeOnCompletion();
  }

  @Override
  public String enquoteIdentifier(String sql, boolean x1) throws SQLException {
    return target().enquoteIdentifier(sql, x1);
  }

  @Override
  public String enquoteLiteral(String sql) throws SQLException {
    return target().enquoteLiteral(sql);
  }

  @Override
  public String enquoteNCharLiteral(String sql) throws SQLException {
    return target().enquoteNCharLiteral(sql);
  }

  @Override
  public boolean execute(String sql, int[] x1) throws SQLException {
    return target().execute(sql, x1);
  }

  @Override
  public boolean execute(String sql, String[] x1) throws SQLException {
    return target().execute(sql, x1);
  }

  @Override
  public boolean execute(String sql, int i1) throws SQLException {
    return target().execute(sql, i1);
  }

  @Override
  public boolean execute(String sql) throws SQLException {
    return target().execute(sql);
  }

  @Override
  public int[] executeBatch() throws SQLException {
    return target().executeBatch();
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    return target().executeLargeBatch();
  }

  @Override
  public long executeLargeUpdate(String sql, int[] x1) throws SQLException {
    return target().executeLargeUpdate(sql, x1);
  }

  @Override
  public long executeLargeUpdate(String sql, String[] x1) throws SQLException {
    return target().executeLargeUpdate(sql, x1);
  }

  @Override
  public long executeLargeUpdate(String sql, int i1) throws SQLException {
    return target().executeLargeUpdate(sql, i1);
  }

  @Override
  public long executeLargeUpdate(String sql) throws SQLException {
    return target().executeLargeUpdate(sql);
  }

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    return target().executeQuery(sql);
  }

  @Override
  public int executeUpdate(String sql, int[] x1) throws SQLException {
    return target().executeUpdate(sql, x1);
  }

  @Override
  public int executeUpdate(String sql, String[] x1) throws SQLException {
    return target().executeUpdate(sql, x1);
  }

  @Override
  public int executeUpdate(String sql, int i1) throws SQLException {
    return target().executeUpdate(sql, i1);
  }

  @Override
  public int executeUpdate(String sql) throws SQLException {
    return target().executeUpdate(sql);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return target().getConnection();
  }

  @Override
  public int getFetchDirection() throws SQLException {
    return target().getFetchDirection();
  }

  @Override
  public int getFetchSize() throws SQLException {
    return target().getFetchSize();
  }

  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    return target().getGeneratedKeys();
  }

  @Override
  public long getLargeMaxRows() throws SQLException {
    return target().getLargeMaxRows();
  }

  @Override
  public long getLargeUpdateCount() throws SQLException {
    return target().getLargeUpdateCount();
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    return target().getMaxFieldSize();
  }

  @Override
  public int getMaxRows() throws SQLException {
    return target().getMaxRows();
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    return target().getMoreResults();
  }

  @Override
  public boolean getMoreResults(int value) throws SQLException {
    return target().getMoreResults(value);
  }

  @Override
  public int getQueryTimeout() throws SQLException {
    return target().getQueryTimeout();
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    return target().getResultSet();
  }

  @Override
  public int getResultSetConcurrency() throws SQLException {
    return target().getResultSetConcurrency();
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    return target().getResultSetHoldability();
  }

  @Override
  public int getResultSetType() throws SQLException {
    return target().getResultSetType();
  }

  @Override
  public int getUpdateCount() throws SQLException {
    return target().getUpdateCount();
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return target().getWarnings();
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    return target().isCloseOnCompletion();
  }

  @Override
  public boolean isClosed() throws SQLException {
    return target().isClosed();
  }

  @Override
  public boolean isPoolable() throws SQLException {
    return target().isPoolable();
  }

  @Override
  public boolean isSimpleIdentifier(String sql) throws SQLException {
    return target().isSimpleIdentifier(sql);
  }

  @Override
  public boolean isWrapperFor(Class<?> x0) throws SQLException {
    return target().isWrapperFor(x0);
  }

  @Override
  public void setCursorName(String sql) throws SQLException {
    target().setCursorName(sql);
  }

  @Override
  public void setEscapeProcessing(boolean x0) throws SQLException {
    target().setEscapeProcessing(x0);
  }

  @Override
  public void setFetchDirection(int value) throws SQLException {
    target().setFetchDirection(value);
  }

  @Override
  public void setFetchSize(int value) throws SQLException {
    target().setFetchSize(value);
  }

  @Override
  public void setLargeMaxRows(long x0) throws SQLException {
    target().setLargeMaxRows(x0);
  }

  @Override
  public void setMaxFieldSize(int value) throws SQLException {
    target().setMaxFieldSize(value);
  }

  @Override
  public void setMaxRows(int value) throws SQLException {
    target().setMaxRows(value);
  }

  @Override
  public void setPoolable(boolean x0) throws SQLException {
    target().setPoolable(x0);
  }

  @Override
  public void setQueryTimeout(int value) throws SQLException {
    target().setQueryTimeout(value);
  }

  @Override
  public <T> T unwrap(Class<T> x0) throws SQLException {
    return target().unwrap(x0);
  }
}
