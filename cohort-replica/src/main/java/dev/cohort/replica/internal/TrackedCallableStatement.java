package dev.cohort.replica.internal;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * A callable statement: always on the primary (a call may write), tracked like a prepared one; its
 * own methods pass straight to the physical statement, spelt out so the compiler checks each.
 */
final class TrackedCallableStatement extends TrackedPreparedStatement<CallableStatement>
    implements CallableStatement {
  TrackedCallableStatement(
      RoutingConnection owner,
      CallableStatement real,
      Node node,
      JdbcCall<Connection, CallableStatement> prepare) {
    super(owner, real, node, SqlClassifier.Kind.WRITE, prepare);
  }

  @Override
  public Array getArray(String name) throws SQLException {
    return target().getArray(name);
  }

  @Override
  public Array getArray(int index) throws SQLException {
    return target().getArray(index);
  }

  @Override
  public BigDecimal getBigDecimal(String name) throws SQLException {
    return target().getBigDecimal(name);
  }

  @Deprecated
  @Override
  public BigDecimal getBigDecimal(int index, int i1) throws SQLException {
    return target().getBigDecimal(index, i1);
  }

  @Override
  public BigDecimal getBigDecimal(int index) throws SQLException {
    return target().getBigDecimal(index);
  }

  @Override
  public Blob getBlob(String name) throws SQLException {
    return target().getBlob(name);
  }

  @Override
  public Blob getBlob(int index) throws SQLException {
    return target().getBlob(index);
  }

  @Override
  public boolean getBoolean(String name) throws SQLException {
    return target().getBoolean(name);
  }

  @Override
  public boolean getBoolean(int index) throws SQLException {
    return target().getBoolean(index);
  }

  @Override
  public byte getByte(String name) throws SQLException {
    return target().getByte(name);
  }

  @Override
  public byte getByte(int index) throws SQLException {
    return target().getByte(index);
  }

  @Override
  public byte[] getBytes(String name) throws SQLException {
    return target().getBytes(name);
  }

  @Override
  public byte[] getBytes(int index) throws SQLException {
    return target().getBytes(index);
  }

  @Override
  public Reader getCharacterStream(String name) throws SQLException {
    return target().getCharacterStream(name);
  }

  @Override
  public Reader getCharacterStream(int index) throws SQLException {
    return target().getCharacterStream(index);
  }

  @Override
  public Clob getClob(String name) throws SQLException {
    return target().getClob(name);
  }

  @Override
  public Clob getClob(int index) throws SQLException {
    return target().getClob(index);
  }

  @Override
  public Date getDate(String name, Calendar calendar) throws SQLException {
    return target().getDate(name, calendar);
  }

  @Override
  public Date getDate(String name) throws SQLException {
    return target().getDate(name);
  }

  @Override
  public Date getDate(int index, Calendar calendar) throws SQLException {
    return target().getDate(index, calendar);
  }

  @Override
  public Date getDate(int index) throws SQLException {
    return target().getDate(index);
  }

  @Override
  public double getDouble(String name) throws SQLException {
    return target().getDouble(name);
  }

  @Override
  public double getDouble(int index) throws SQLException {
    return target().getDouble(index);
  }

  @Override
  public float getFloat(String name) throws SQLException {
    return target().getFloat(name);
  }

  @Override
  public float getFloat(int index) throws SQLException {
    return target().getFloat(index);
  }

  @Override
  public int getInt(String name) throws SQLException {
    return target().getInt(name);
  }

  @Override
  public int getInt(int index) throws SQLException {
    return target().getInt(index);
  }

  @Override
  public long getLong(String name) throws SQLException {
    return target().getLong(name);
  }

  @Override
  public long getLong(int index) throws SQLException {
    return target().getLong(index);
  }

  @Override
  public Reader getNCharacterStream(String name) throws SQLException {
    return target().getNCharacterStream(name);
  }

  @Override
  public Reader getNCharacterStream(int index) throws SQLException {
    return target().getNCharacterStream(index);
  }

  @Override
  public NClob getNClob(String name) throws SQLException {
    return target().getNClob(name);
  }

  @Override
  public NClob getNClob(int index) throws SQLException {
    return target().getNClob(index);
  }

  @Override
  public String getNString(String name) throws SQLException {
    return target().getNString(name);
  }

  @Override
  public String getNString(int index) throws SQLException {
    return target().getNString(index);
  }

  @Override
  public <T> T getObject(String name, Class<T> x1) throws SQLException {
    return target().getObject(name, x1);
  }

  @Override
  public Object getObject(String name, Map<String, Class<?>> x1) throws SQLException {
    return target().getObject(name, x1);
  }

  @Override
  public Object getObject(String name) throws SQLException {
    return target().getObject(name);
  }

  @Override
  public <T> T getObject(int index, Class<T> x1) throws SQLException {
    return target().getObject(index, x1);
  }

  @Override
  public Object getObject(int index, Map<String, Class<?>> x1) throws SQLException {
    return target().getObject(index, x1);
  }

  @Override
  public Object getObject(int index) throws SQLException {
    return target().getObject(index);
  }

  @Override
  public Ref getRef(String name) throws SQLException {
    return target().getRef(name);
  }

  @Override
  public Ref getRef(int index) throws SQLException {
    return target().getRef(index);
  }

  @Override
  public RowId getRowId(String name) throws SQLException {
    return target().getRowId(name);
  }

  @Override
  public RowId getRowId(int index) throws SQLException {
    return target().getRowId(index);
  }

  @Override
  public SQLXML getSQLXML(String name) throws SQLException {
    return target().getSQLXML(name);
  }

  @Override
  public SQLXML getSQLXML(int index) throws SQLException {
    return target().getSQLXML(index);
  }

  @Override
  public short getShort(String name) throws SQLException {
    return target().getShort(name);
  }

  @Override
  public short getShort(int index) throws SQLException {
    return target().getShort(index);
  }

  @Override
  public String getString(String name) throws SQLException {
    return target().getString(name);
  }

  @Override
  public String getString(int index) throws SQLException {
    return target().getString(index);
  }

  @Override
  public Time getTime(String name, Calendar calendar) throws SQLException {
    return target().getTime(name, calendar);
  }

  @Override
  public Time getTime(String name) throws SQLException {
    return target().getTime(name);
  }

  @Override
  public Time getTime(int index, Calendar calendar) throws SQLException {
    return target().getTime(index, calendar);
  }

  @Override
  public Time getTime(int index) throws SQLException {
    return target().getTime(index);
  }

  @Override
  public Timestamp getTimestamp(String name, Calendar calendar) throws SQLException {
    return target().getTimestamp(name, calendar);
  }

  @Override
  public Timestamp getTimestamp(String name) throws SQLException {
    return target().getTimestamp(name);
  }

  @Override
  public Timestamp getTimestamp(int index, Calendar calendar) throws SQLException {
    return target().getTimestamp(index, calendar);
  }

  @Override
  public Timestamp getTimestamp(int index) throws SQLException {
    return target().getTimestamp(index);
  }

  @Override
  public URL getURL(String name) throws SQLException {
    return target().getURL(name);
  }

  @Override
  public URL getURL(int index) throws SQLException {
    return target().getURL(index);
  }

  @Override
  public void registerOutParameter(String name, int i1, String s2) throws SQLException {
    target().registerOutParameter(name, i1, s2);
  }

  @Override
  public void registerOutParameter(String name, int i1, int i2) throws SQLException {
    target().registerOutParameter(name, i1, i2);
  }

  @Override
  public void registerOutParameter(String name, int i1) throws SQLException {
    target().registerOutParameter(name, i1);
  }

  @Override
  public void registerOutParameter(String name, SQLType x1, String s2) throws SQLException {
    target().registerOutParameter(name, x1, s2);
  }

  @Override
  public void registerOutParameter(String name, SQLType x1, int i2) throws SQLException {
    target().registerOutParameter(name, x1, i2);
  }

  @Override
  public void registerOutParameter(String name, SQLType x1) throws SQLException {
    target().registerOutParameter(name, x1);
  }

  @Override
  public void registerOutParameter(int index, int i1, String s2) throws SQLException {
    target().registerOutParameter(index, i1, s2);
  }

  @Override
  public void registerOutParameter(int index, int i1, int i2) throws SQLException {
    target().registerOutParameter(index, i1, i2);
  }

  @Override
  public void registerOutParameter(int index, int i1) throws SQLException {
    target().registerOutParameter(index, i1);
  }

  @Override
  public void registerOutParameter(int index, SQLType x1, String s2) throws SQLException {
    target().registerOutParameter(index, x1, s2);
  }

  @Override
  public void registerOutParameter(int index, SQLType x1, int i2) throws SQLException {
    target().registerOutParameter(index, x1, i2);
  }

  @Override
  public void registerOutParameter(int index, SQLType x1) throws SQLException {
    target().registerOutParameter(index, x1);
  }

  @Override
  public void setAsciiStream(String name, InputStream x1, int i2) throws SQLException {
    target().setAsciiStream(name, x1, i2);
  }

  @Override
  public void setAsciiStream(String name, InputStream x1, long x2) throws SQLException {
    target().setAsciiStream(name, x1, x2);
  }

  @Override
  public void setAsciiStream(String name, InputStream x1) throws SQLException {
    target().setAsciiStream(name, x1);
  }

  @Override
  public void setBigDecimal(String name, BigDecimal x1) throws SQLException {
    target().setBigDecimal(name, x1);
  }

  @Override
  public void setBinaryStream(String name, InputStream x1, int i2) throws SQLException {
    target().setBinaryStream(name, x1, i2);
  }

  @Override
  public void setBinaryStream(String name, InputStream x1, long x2) throws SQLException {
    target().setBinaryStream(name, x1, x2);
  }

  @Override
  public void setBinaryStream(String name, InputStream x1) throws SQLException {
    target().setBinaryStream(name, x1);
  }

  @Override
  public void setBlob(String name, InputStream x1, long x2) throws SQLException {
    target().setBlob(name, x1, x2);
  }

  @Override
  public void setBlob(String name, InputStream x1) throws SQLException {
    target().setBlob(name, x1);
  }

  @Override
  public void setBlob(String name, Blob x1) throws SQLException {
    target().setBlob(name, x1);
  }

  @Override
  public void setBoolean(String name, boolean x1) throws SQLException {
    target().setBoolean(name, x1);
  }

  @Override
  public void setByte(String name, byte x1) throws SQLException {
    target().setByte(name, x1);
  }

  @Override
  public void setBytes(String name, byte[] x1) throws SQLException {
    target().setBytes(name, x1);
  }

  @Override
  public void setCharacterStream(String name, Reader x1, int i2) throws SQLException {
    target().setCharacterStream(name, x1, i2);
  }

  @Override
  public void setCharacterStream(String name, Reader x1, long x2) throws SQLException {
    target().setCharacterStream(name, x1, x2);
  }

  @Override
  public void setCharacterStream(String name, Reader x1) throws SQLException {
    target().setCharacterStream(name, x1);
  }

  @Override
  public void setClob(String name, Reader x1, long x2) throws SQLException {
    target().setClob(name, x1, x2);
  }

  @Override
  public void setClob(String name, Reader x1) throws SQLException {
    target().setClob(name, x1);
  }

  @Override
  public void setClob(String name, Clob x1) throws SQLException {
    target().setClob(name, x1);
  }

  @Override
  public void setDate(String name, Date x1, Calendar calendar) throws SQLException {
    target().setDate(name, x1, calendar);
  }

  @Override
  public void setDate(String name, Date x1) throws SQLException {
    target().setDate(name, x1);
  }

  @Override
  public void setDouble(String name, double x1) throws SQLException {
    target().setDouble(name, x1);
  }

  @Override
  public void setFloat(String name, float x1) throws SQLException {
    target().setFloat(name, x1);
  }

  @Override
  public void setInt(String name, int i1) throws SQLException {
    target().setInt(name, i1);
  }

  @Override
  public void setLong(String name, long x1) throws SQLException {
    target().setLong(name, x1);
  }

  @Override
  public void setNCharacterStream(String name, Reader x1, long x2) throws SQLException {
    target().setNCharacterStream(name, x1, x2);
  }

  @Override
  public void setNCharacterStream(String name, Reader x1) throws SQLException {
    target().setNCharacterStream(name, x1);
  }

  @Override
  public void setNClob(String name, Reader x1, long x2) throws SQLException {
    target().setNClob(name, x1, x2);
  }

  @Override
  public void setNClob(String name, Reader x1) throws SQLException {
    target().setNClob(name, x1);
  }

  @Override
  public void setNClob(String name, NClob x1) throws SQLException {
    target().setNClob(name, x1);
  }

  @Override
  public void setNString(String name, String s1) throws SQLException {
    target().setNString(name, s1);
  }

  @Override
  public void setNull(String name, int i1, String s2) throws SQLException {
    target().setNull(name, i1, s2);
  }

  @Override
  public void setNull(String name, int i1) throws SQLException {
    target().setNull(name, i1);
  }

  @Override
  public void setObject(String name, Object x1, int i2, int i3) throws SQLException {
    target().setObject(name, x1, i2, i3);
  }

  @Override
  public void setObject(String name, Object x1, int i2) throws SQLException {
    target().setObject(name, x1, i2);
  }

  @Override
  public void setObject(String name, Object x1, SQLType x2, int i3) throws SQLException {
    target().setObject(name, x1, x2, i3);
  }

  @Override
  public void setObject(String name, Object x1, SQLType x2) throws SQLException {
    target().setObject(name, x1, x2);
  }

  @Override
  public void setObject(String name, Object x1) throws SQLException {
    target().setObject(name, x1);
  }

  @Override
  public void setRowId(String name, RowId x1) throws SQLException {
    target().setRowId(name, x1);
  }

  @Override
  public void setSQLXML(String name, SQLXML x1) throws SQLException {
    target().setSQLXML(name, x1);
  }

  @Override
  public void setShort(String name, short x1) throws SQLException {
    target().setShort(name, x1);
  }

  @Override
  public void setString(String name, String s1) throws SQLException {
    target().setString(name, s1);
  }

  @Override
  public void setTime(String name, Time x1, Calendar calendar) throws SQLException {
    target().setTime(name, x1, calendar);
  }

  @Override
  public void setTime(String name, Time x1) throws SQLException {
    target().setTime(name, x1);
  }

  @Override
  public void setTimestamp(String name, Timestamp x1, Calendar calendar) throws SQLException {
    target().setTimestamp(name, x1, calendar);
  }

  @Override
  public void setTimestamp(String name, Timestamp x1) throws SQLException {
    target().setTimestamp(name, x1);
  }

  @Override
  public void setURL(String name, URL x1) throws SQLException {
    target().setURL(name, x1);
  }

  @Override
  public boolean wasNull() throws SQLException {
    return target().wasNull();
  }
}
