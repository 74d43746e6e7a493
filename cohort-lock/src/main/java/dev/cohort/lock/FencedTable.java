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
 * The protected side of a {@link LeaseLock}: rows that carry the highest fencing token written
 * with, and refuse a write with a lower one ({@code UPDATE ... SET ..., fence = ? WHERE id = ? AND
 * fence <= ?}). A holder whose lease lapsed (a long GC pause, a partition) and who writes after the
 * next holder did is refused, even though it still believes it holds the lock.
 */
public final class FencedTable {
  public static final String DEFAULT_ID_COLUMN = "id";
  public static final String DEFAULT_TOKEN_COLUMN = "fencing_token";

  private final String resource;
  private final String table;
  private final String idColumn;
  private final String tokenColumn;

  private FencedTable(Builder b) {
    this.resource = b.resource;
    this.table = b.table;
    this.idColumn = b.idColumn;
    this.tokenColumn = b.tokenColumn;
  }

  /**
   * Starts the settings of a fenced table.
   *
   * @param resource the name refusals are reported under
   * @param table the table holding it, with a {@code BIGINT} token column (0 for never written)
   */
  public static Builder builder(String resource, String table) {
    return new Builder(resource, table);
  }

  /**
   * Sets {@code columns} on row {@code id} if {@code lease}'s token is not lower than the stored
   * one, and stores the token.
   *
   * @throws StaleFencingTokenException when a higher token was stored; nothing is written
   * @throws IllegalStateException when there is no such row
   */
  public void update(Connection c, Object id, Lease lease, Map<String, ?> columns)
      throws SQLException {
    update(c, id, lease.fencingToken(), columns);
  }

  /** {@link #update(Connection, Object, Lease, Map)} with the token itself. */
  public void update(Connection c, Object id, long fencingToken, Map<String, ?> columns)
      throws SQLException {
    Objects.requireNonNull(id, "id");
    StringBuilder sql = new StringBuilder("UPDATE ").append(table).append(" SET ");
    List<Object> params = new ArrayList<>();
    for (Map.Entry<String, ?> e : columns.entrySet()) {
      String column = SqlNames.require("column of " + resource, e.getKey());
      if (column.equalsIgnoreCase(tokenColumn) || column.equalsIgnoreCase(idColumn)) {
        throw new IllegalArgumentException(
            resource + ": column '" + column + "' is managed by the fence; do not set it");
      }
      sql.append(column).append(" = ?, ");
      params.add(e.getValue());
    }
    sql.append(tokenColumn)
        .append(" = ? WHERE ")
        .append(idColumn)
        .append(" = ? AND ")
        .append(tokenColumn)
        .append(" <= ?");
    params.add(fencingToken);
    params.add(id);
    params.add(fencingToken);
    if (Jdbc.update(c, sql.toString(), params.toArray()) == 1) {
      return;
    }
    OptionalLong stored = Jdbc.latest(c, table, tokenColumn, idColumn, id);
    if (stored.isEmpty()) {
      throw new IllegalStateException(resource + " " + id + " does not exist; nothing to fence");
    }
    throw new StaleFencingTokenException(resource, id, fencingToken, stored.getAsLong());
  }

  /** Settings of a {@link FencedTable}. */
  public static final class Builder {
    private final String resource;
    private final String table;
    private String idColumn = DEFAULT_ID_COLUMN;
    private String tokenColumn = DEFAULT_TOKEN_COLUMN;

    private Builder(String resource, String table) {
      if (resource == null || resource.isBlank()) {
        throw new IllegalArgumentException(
            "resource name must not be blank, got '" + resource + "'");
      }
      this.resource = resource;
      this.table = SqlNames.require("table of " + resource, table);
    }

    public Builder idColumn(String column) {
      this.idColumn = SqlNames.require("id column of " + resource, column);
      return this;
    }

    public Builder tokenColumn(String column) {
      this.tokenColumn = SqlNames.require("token column of " + resource, column);
      return this;
    }

    public FencedTable build() {
      return new FencedTable(this);
    }
  }
}
