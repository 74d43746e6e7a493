package dev.cohort.replica.internal;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;

/** The {@link PreparedStatement} methods of a {@link DelegatingStatement}, spelt out likewise. */
abstract class DelegatingPreparedStatement<S extends PreparedStatement>
    extends DelegatingStatement<S> implements PreparedStatement {
  @Override
  public void addBatch() throws SQLException {
    target().addBatch();
  }

  @Override
  public void clearParameters() throws SQLException {
    target().clearParameters();
  }

  @Override
  public boolean execute() throws SQLException {
    return target().execute();
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    return target().executeLargeUpdate();
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    return target().executeQuery();
  }

  @Override
  public int executeUpdate() throws SQLException {
    return target().executeUpdate();
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    return target().getMetaData();
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    return target().getParameterMetaData();
  }

  @Override
  public void setArray(int index, Array x1) throws SQLException {
    target().setArray(index, x1);
  }

  @Override
  public void setAsciiStream(int index, InputStream x1, int i2) throws SQLException {
    target().setAsciiStream(index, x1, i2);
  }

  @Override
  public void setAsciiStream(int index, InputStream x1, long x2) throws SQLException {
    target().setAsciiStream(index, x1, x2);
  }

  @Override
  public void setAsciiStream(int index, InputStream x1) throws SQLException {
    target().setAsciiStream(index, x1);
  }

  @Override
  public void setBigDecimal(int index, BigDecimal x1) throws SQLException {
    target().setBigDecimal(index, x1);
  }

  @Override
  public void setBinaryStream(int index, InputStream x1, int i2) throws SQLException {
    target().setBinaryStream(index, x1, i2);
  }

  @Override
  public void setBinaryStream(int index, InputStream x1, long x2) throws SQLException {
    target().setBinaryStream(index, x1, x2);
  }

  @Override
  public void setBinaryStream(int index, InputStream x1) throws SQLException {
    target().setBinaryStream(index, x1);
  }

  @Override
  public void setBlob(int index, InputStream x1, long x2) throws SQLException {
    target().setBlob(index, x1, x2);
  }

  @Override
  public void setBlob(int index, InputStream x1) throws SQLException {
    target().setBlob(index, x1);
  }

  @Override
  public void setBlob(int index, Blob x1) throws SQLException {
    target().setBlob(index, x1);
  }

  @Override
  public void setBoolean(int index, boolean x1) throws SQLException {
    target().setBoolean(index, x1);
  }

  @Override
  public void setByte(int index, byte x1) throws SQLException {
    target().setByte(index, x1);
  }

  @Override
  public void setBytes(int index, byte[] x1) throws SQLException {
    target().setBytes(index, x1);
  }

  @Override
  public void setCharacterStream(int index, Reader x1, int i2) throws SQLException {
    target().setCharacterStream(index, x1, i2);
  }

  @Override
  public void setCharacterStream(int index, Reader x1, long x2) throws SQLException {
    target().setCharacterStream(index, x1, x2);
  }

  @Override
  public void setCharacterStream(int index, Reader x1) throws SQLException {
    target().setCharacterStream(index, x1);
  }

  @Override
  public void setClob(int index, Reader x1, long x2) throws SQLException {
    target().setClob(index, x1, x2);
  }

  @Override
  public void setClob(int index, Reader x1) throws SQLException {
    target().setClob(index, x1);
  }

  @Override
  public void setClob(int index, Clob x1) throws SQLException {
    target().setClob(index, x1);
  }

  @Override
  public void setDate(int index, Date x1, Calendar calendar) throws SQLException {
    target().setDate(index, x1, calendar);
  }

  @Override
  public void setDate(int index, Date x1) throws SQLException {
    target().setDate(index, x1);
  }

  @Override
  public void setDouble(int index, double x1) throws SQLException {
    target().setDouble(index, x1);
  }

  @Override
  public void setFloat(int index, float x1) throws SQLException {
    target().setFloat(index, x1);
  }

  @Override
  public void setInt(int index, int i1) throws SQLException {
    target().setInt(index, i1);
  }

  @Override
  public void setLong(int index, long x1) throws SQLException {
    target().setLong(index, x1);
  }

  @Override
  public void setNCharacterStream(int index, Reader x1, long x2) throws SQLException {
    target().setNCharacterStream(index, x1, x2);
  }

  @Override
  public void setNCharacterStream(int index, Reader x1) throws SQLException {
    target().setNCharacterStream(index, x1);
  }

  @Override
  public void setNClob(int index, Reader x1, long x2) throws SQLException {
    target().setNClob(index, x1, x2);
  }

  @Override
  public void setNClob(int index, Reader x1) throws SQLException {
    target().setNClob(index, x1);
  }

  @Override
  public void setNClob(int index, NClob x1) throws SQLException {
    target().setNClob(index, x1);
  }

  @Override
  public void setNString(int index, String s1) throws SQLException {
    target().setNString(index, s1);
  }

  @Override
  public void setNull(int index, int i1, String s2) throws SQLException {
    target().setNull(index, i1, s2);
  }

  @Override
  public void setNull(int index, int i1) throws SQLException {
    target().setNull(index, i1);
  }

  @Override
  public void setObject(int index, Object x1, int i2, int i3) throws SQLException {
    target().setObject(index, x1, i2, i3);
  }

  @Override
  public void setObject(int index, Object x1, int i2) throws SQLException {
    target().setObject(index, x1, i2);
  }

  @Override
  public void setObject(int index, Object x1, SQLType x2, int i3) throws SQLException {
    target().setObject(index, x1, x2, i3);
  }

  @Override
  public void setObject(int index, Object x1, SQLType x2) throws SQLException {
    target().setObject(index, x1, x2);
  }

  @Override
  public void setObject(int index, Object x1) throws SQLException {
    target().setObject(index, x1);
  }

  @Override
  public void setRef(int index, Ref x1) throws SQLException {
    target().setRef(index, x1);
  }

  @Override
  public void setRowId(int index, RowId x1) throws SQLException {
    target().setRowId(index, x1);
  }

  @Override
  public void setSQLXML(int index, SQLXML x1) throws SQLException {
    target().setSQLXML(index, x1);
  }

  @Override
  public void setShort(int index, short x1) throws SQLException {
    target().setShort(index, x1);
  }

  @Override
  public void setString(int index, String s1) throws SQLException {
    target().setString(index, s1);
  }

  @Override
  public void setTime(int index, Time x1, Calendar calendar) throws SQLException {
    target().setTime(index, x1, calendar);
  }

  @Override
  public void setTime(int index, Time x1) throws SQLException {
    target().setTime(index, x1);
  }

  @Override
  public void setTimestamp(int index, Timestamp x1, Calendar calendar) throws SQLException {
    target().setTimestamp(index, x1, calendar);
  }

  @Override
  public void setTimestamp(int index, Timestamp x1) throws SQLException {
    target().setTimestamp(index, x1);
  }

  @Override
  public void setURL(int index, URL x1) throws SQLException {
    target().setURL(index, x1);
  }

  @Deprecated
  @Override
  public void setUnicodeStream(int index, InputStream x1, int i2) throws SQLException {
    target().setUnicodeStream(index, x1, i2);
  }
}
