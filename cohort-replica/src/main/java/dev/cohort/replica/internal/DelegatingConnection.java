package dev.cohort.replica.internal;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A {@link Connection} that passes every call to {@link #target()}. Spelt out method by method so
 * the compiler checks each one; {@link RoutingConnection} overrides what it routes.
 */
abstract class DelegatingConnection implements Connection {
  /** The physical connection a call that is not routed goes to. */
  abstract Connection target() throws SQLException;

  @Override
  public void abort(Executor x0) throws SQLException {
    target().abort(x0);
  }

  @Override
  public void beginRequest() throws SQLException {
    target().beginRequest();
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
  public void commit() throws SQLException {
    target().commit();
  }

  @Override
  public Array createArrayOf(String sql, Object[] x1) throws SQLException {
    return target().createArrayOf(sql, x1);
  }

  @Override
  public Blob createBlob() throws SQLException {
    return target().createBlob();
  }

  @Override
  public Clob createClob() throws SQLException {
    return target().createClob();
  }

  @Override
  public NClob createNClob() throws SQLException {
    return target().createNClob();
  }

  @Override
  public SQLXML createSQLXML() throws SQLException {
    return target().createSQLXML();
  }

  @Override
  public Statement createStatement() throws SQLException {
    return target().createStatement();
  }

  @Override
  public Statement createStatement(int value, int i1, int i2) throws SQLException {
    return target().createStatement(value, i1, i2);
  }

  @Override
  public Statement createStatement(int value, int i1) throws SQLException {
    return target().createStatement(value, i1);
  }

  @Override
  public Struct createStruct(String sql, Object[] x1) throws SQLException {
    return target().createStruct(sql, x1);
  }

  @Override
  public void endRequest() throws SQLException {
    target().endRequest();
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    return target().getAutoCommit();
  }

  @Override
  public String getCatalog() throws SQLException {
    return target().getCatalog();
  }

  @Override
  public Properties getClientInfo() throws SQLException {
    return target().getClientInfo();
  }

  @Override
  public String getClientInfo(String sql) throws SQLException {
    return target().getClientInfo(sql);
  }

  @Override
  public int getHoldability() throws SQLException {
    return target().getHoldability();
  }

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    return target().getMetaData();
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    return target().getNetworkTimeout();
  }

  @Override
  public String getSchema() throws SQLException {
    return target().getSchema();
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    return target().getTransactionIsolation();
  }

  @Override
  public Map<String, Class<?>> getTypeMap() throws SQLException {
    return target().getTypeMap();
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return target().getWarnings();
  }

  @Override
  public boolean isClosed() throws SQLException {
    return target().isClosed();
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    return target().isReadOnly();
  }

  @Override
  public boolean isValid(int value) throws SQLException {
    return target().isValid(value);
  }

  @Override
  public boolean isWrapperFor(Class<?> x0) throws SQLException {
    return target().isWrapperFor(x0);
  }

  @Override
  public String nativeSQL(String sql) throws SQLException {
    return target().nativeSQL(sql);
  }

  @Override
  public CallableStatement prepareCall(String sql, int i1, int i2, int i3) throws SQLException {
    return target().prepareCall(sql, i1, i2, i3);
  }

  @Override
  public CallableStatement prepareCall(String sql, int i1, int i2) throws SQLException {
    return target().prepareCall(sql, i1, i2);
  }

  @Override
  public CallableStatement prepareCall(String sql) throws SQLException {
    return target().prepareCall(sql);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int[] x1) throws SQLException {
    return target().prepareStatement(sql, x1);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, String[] x1) throws SQLException {
    return target().prepareStatement(sql, x1);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int i1, int i2, int i3)
      throws SQLException {
    return target().prepareStatement(sql, i1, i2, i3);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int i1, int i2) throws SQLException {
    return target().prepareStatement(sql, i1, i2);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int i1) throws SQLException {
    return target().prepareStatement(sql, i1);
  }

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    return target().prepareStatement(sql);
  }

  @Override
  public void releaseSavepoint(Savepoint x0) throws SQLException {
    target().releaseSavepoint(x0);
  }

  @Override
  public void rollback() throws SQLException {
    target().rollback();
  }

  @Override
  public void rollback(Savepoint x0) throws SQLException {
    target().rollback(x0);
  }

  @Override
  public void setAutoCommit(boolean x0) throws SQLException {
    target().setAutoCommit(x0);
  }

  @Override
  public void setCatalog(String sql) throws SQLException {
    target().setCatalog(sql);
  }

  @Override
  public void setClientInfo(String name, String value) throws SQLClientInfoException {
    clientInfoTarget().setClientInfo(name, value);
  }

  @Override
  public void setClientInfo(Properties properties) throws SQLClientInfoException {
    clientInfoTarget().setClientInfo(properties);
  }

  /** {@code setClientInfo} may throw only {@link SQLClientInfoException}. */
  private Connection clientInfoTarget() throws SQLClientInfoException {
    try {
      return target();
    } catch (SQLClientInfoException e) {
      throw e;
    } catch (SQLException e) {
      throw new SQLClientInfoException(
          e.getMessage(), e.getSQLState(), e.getErrorCode(), Map.of(), e);
    }
  }

  @Override
  public void setHoldability(int value) throws SQLException {
    target().setHoldability(value);
  }

  @Override
  public void setNetworkTimeout(Executor x0, int i1) throws SQLException {
    target().setNetworkTimeout(x0, i1);
  }

  @Override
  public void setReadOnly(boolean x0) throws SQLException {
    target().setReadOnly(x0);
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    return target().setSavepoint();
  }

  @Override
  public Savepoint setSavepoint(String name) throws SQLException {
    return target().setSavepoint(name);
  }

  @Override
  public void setSchema(String sql) throws SQLException {
    target().setSchema(sql);
  }

  @Override
  public void setShardingKey(ShardingKey x0, ShardingKey x1) throws SQLException {
    target().setShardingKey(x0, x1);
  }

  @Override
  public void setShardingKey(ShardingKey x0) throws SQLException {
    target().setShardingKey(x0);
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey x0, int i1) throws SQLException {
    return target().setShardingKeyIfValid(x0, i1);
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey x0, ShardingKey x1, int i2) throws SQLException {
    return target().setShardingKeyIfValid(x0, x1, i2);
  }

  @Override
  public void setTransactionIsolation(int value) throws SQLException {
    target().setTransactionIsolation(value);
  }

  @Override
  public void setTypeMap(Map<String, Class<?>> x0) throws SQLException {
    target().setTypeMap(x0);
  }

  @Override
  public <T> T unwrap(Class<T> x0) throws SQLException {
    return target().unwrap(x0);
  }
}
