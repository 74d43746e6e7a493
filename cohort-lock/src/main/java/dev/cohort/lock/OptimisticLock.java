package dev.cohort.lock;

import dev.cohort.lock.internal.Jdbc;
import dev.cohort.lock.internal.SqlNames;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Version-checked updates of one table: {@code UPDATE <table> SET <columns>, version = version + 1
 * WHERE id = ? AND version = ?}. When no row matches, the row's actual version is read and an
 * {@link OptimisticLockException} names the entity, the id, the expected and the actual version;
 * nothing was written.
 *
 * <pre>{@code
 * OptimisticLock accounts = OptimisticLock.builder("Account", "account").build();
 * long v2 = accounts.update(connection, 42L, 1, Map.of("balance", 150));
 * }</pre>
 *
 * Reads that an update's expected version comes from must see the latest commit: read in the same
 * read-write transaction (with {@link OptimisticRetry}), which cohort-replica's routing sends to
 * the primary, or behind a read-your-writes token.
 */
public final class OptimisticLock {
  /** The column names used unless the builder says otherwise. */
  public static final String DEFAULT_ID_COLUMN = "id";

  public static final String DEFAULT_VERSION_COLUMN = "version";

  private final String entity;
  private final String table;
  private final String idColumn;
  private final String versionColumn;

  private OptimisticLock(Builder b) {
    this.entity = b.entity;
    this.table = b.table;
    this.idColumn = b.idColumn;
    this.versionColumn = b.versionColumn;
  }

  /**
   * Starts the settings of a version-checked table.
   *
   * @param entity the name conflicts are reported under (e.g. {@code Account})
   * @param table the table holding it
   */
  public static Builder builder(String entity, String table) {
    return new Builder(entity, table);
  }

  /**
   * Sets {@code columns} on row {@code id} if its version is still {@code expectedVersion}, and
   * increments the version.
   *
   * @return the new version ({@code expectedVersion + 1})
   * @throws OptimisticLockException when the row has another version or is gone
   */
  public long update(Connection c, Object id, long expectedVersion, Map<String, ?> columns)
      throws SQLException {
    Objects.requireNonNull(id, "id");
    if (expectedVersion < 0) {
      throw new IllegalArgumentException(
          entity + " " + id + ": expected version must be 0 or more, got " + expectedVersion);
    }
    StringBuilder sql = new StringBuilder("UPDATE ").append(table).append(" SET ");
    List<Object> params = new ArrayList<>();
    for (Map.Entry<String, ?> e : columns.entrySet()) {
      String column = SqlNames.require("column of " + entity, e.getKey());
      if (column.equalsIgnoreCase(versionColumn) || column.equalsIgnoreCase(idColumn)) {
        throw new IllegalArgumentException(
            entity + ": column '" + column + "' is managed by the lock; do not set it");
      }
      sql.append(column).append(" = ?, ");
      params.add(e.getValue());
    }
    sql.append(versionColumn)
        .append(" = ")
        .append(versionColumn)
        .append(" + 1 WHERE ")
        .append(idColumn)
        .append(" = ? AND ")
        .append(versionColumn)
        .append(" = ?");
    params.add(id);
    params.add(expectedVersion);
    if (Jdbc.update(c, sql.toString(), params.toArray()) == 1) {
      return expectedVersion + 1;
    }
    throw new OptimisticLockException(
        entity, id, expectedVersion, Jdbc.latest(c, table, versionColumn, idColumn, id));
  }

  /** The row's version now, empty when there is no such row. */
  public OptionalLong version(Connection c, Object id) throws SQLException {
    return Jdbc.queryLong(
        c,
        "SELECT " + versionColumn + " FROM " + table + " WHERE " + idColumn + " = ?",
        Objects.requireNonNull(id, "id"));
  }

  public String entity() {
    return entity;
  }

  /** Settings of an {@link OptimisticLock}. */
  public static final class Builder {
    private final String entity;
    private final String table;
    private String idColumn = DEFAULT_ID_COLUMN;
    private String versionColumn = DEFAULT_VERSION_COLUMN;

    private Builder(String entity, String table) {
      if (entity == null || entity.isBlank()) {
        throw new IllegalArgumentException("entity name must not be blank, got '" + entity + "'");
      }
      this.entity = entity;
      this.table = SqlNames.require("table of " + entity, table);
    }

    public Builder idColumn(String column) {
      this.idColumn = SqlNames.require("id column of " + entity, column);
      return this;
    }

    public Builder versionColumn(String column) {
      this.versionColumn = SqlNames.require("version column of " + entity, column);
      return this;
    }

    public OptimisticLock build() {
      return new OptimisticLock(this);
    }
  }
}
