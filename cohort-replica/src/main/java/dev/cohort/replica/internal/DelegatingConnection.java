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
  public void abort(Executor executor) throws SQLException {
    target().abort(executor);
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
  public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
    return target().createArrayOf(typeName, elements);
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
  public Statement createStatement(
      int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
    return target().createStatement(resultSetType, resultSetConcurrency, resultSetHoldability);
  }

  @Override
  public Statement createStatement(int resultSetType, int resultSetConcurrency)
      throws SQLException {
    return target().createStatement(resultSetType, resultSetConcurrency);
  }

  @Override
  public Struct createStruct(String typeName, Object[] elements) throws SQLException {
    return target().createStruct(typeName, elements);
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
  public String getClientInfo(String name) throws SQLException {
    return target().getClientInfo(name);
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
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return target().isWrapperFor(iface);
  }

  @Override
  public String nativeSQL(String sql) throws SQLException {
    return target().nativeSQL(sql);
  }

  @Override
  public CallableStatement prepareCall(
      String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability)
      throws SQLException {
    return target().prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
  }

  @Override
  public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency)
      throws SQLException {
    return target().prepareCall(sql, resultSetType, resultSetConcurrency);
  }

  @Override
  public CallableStatement prepareCall(String sql) throws SQLException {
    return target().prepareCall(sql);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
    return target().prepareStatement(sql, columnIndexes);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
    return target().prepareStatement(sql, columnNames);
  }

  @Override
  public PreparedStatement prepareStatement(
      String sql, int autoGeneratedKeys, int resultSetConcurrency, int resultSetHoldability)
      throws SQLException {
    return target()
        .prepareStatement(sql, autoGeneratedKeys, resultSetConcurrency, resultSetHoldability);
  }

  @Override
  public PreparedStatement prepareStatement(
      String sql, int autoGeneratedKeys, int resultSetConcurrency) throws SQLException {
    return target().prepareStatement(sql, autoGeneratedKeys, resultSetConcurrency);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
    return target().prepareStatement(sql, autoGeneratedKeys);
  }

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    return target().prepareStatement(sql);
  }

  @Override
  public void releaseSavepoint(Savepoint savepoint) throws SQLException {
    target().releaseSavepoint(savepoint);
  }

  @Override
  public void rollback() throws SQLException {
    target().rollback();
  }

  @Override
  public void rollback(Savepoint savepoint) throws SQLException {
    target().rollback(savepoint);
  }

  @Override
  public void setAutoCommit(boolean on) throws SQLException {
    target().setAutoCommit(on);
  }

  @Override
  public void setCatalog(String catalog) throws SQLException {
    target().setCatalog(catalog);
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
  public void setNetworkTimeout(Executor executor, int value) throws SQLException {
    target().setNetworkTimeout(executor, value);
  }

  @Override
  public void setReadOnly(boolean readOnly) throws SQLException {
    target().setReadOnly(readOnly);
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
  public void setSchema(String schema) throws SQLException {
    target().setSchema(schema);
  }

  @Override
  public void setShardingKey(ShardingKey shardingKey, ShardingKey superShardingKey)
      throws SQLException {
    target().setShardingKey(shardingKey, superShardingKey);
  }

  @Override
  public void setShardingKey(ShardingKey shardingKey) throws SQLException {
    target().setShardingKey(shardingKey);
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey shardingKey, int value) throws SQLException {
    return target().setShardingKeyIfValid(shardingKey, value);
  }

  @Override
  public boolean setShardingKeyIfValid(
      ShardingKey shardingKey, ShardingKey superShardingKey, int length) throws SQLException {
    return target().setShardingKeyIfValid(shardingKey, superShardingKey, length);
  }

  @Override
  public void setTransactionIsolation(int value) throws SQLException {
    target().setTransactionIsolation(value);
  }

  @Override
  public void setTypeMap(Map<String, Class<?>> typeMap) throws SQLException {
    target().setTypeMap(typeMap);
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return target().unwrap(iface);
  }
}
