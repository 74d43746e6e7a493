package dev.cohort.examples.shop.common;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The one place a stored status changes: checks the transition is legal, then compare-and-sets
 * {@code UPDATE <table> SET status = :to WHERE <key> = ? AND status = :from}; a row not in {@code
 * from} is an error naming the row, from and to. Statuses are stored as their names.
 */
public final class StatusColumn<S extends Enum<S> & StatusMachine<S>> {
  private final JdbcTemplate jdbc;
  private final TransitionLog log;
  private final String table;
  private final String keyColumns;
  private final Class<S> type;

  /**
   * @param keyColumns the row's key as SQL, e.g. {@code "id = ?"} or {@code "gid = ? AND branch_id
   *     = ?"}
   */
  public StatusColumn(
      JdbcTemplate jdbc, TransitionLog log, String table, String keyColumns, Class<S> type) {
    this.jdbc = jdbc;
    this.log = log;
    this.table = table;
    this.keyColumns = keyColumns;
    this.type = type;
  }

  /**
   * Moves the row with {@code key} from {@code from} to {@code to}.
   *
   * @throws IllegalStateException the transition is not legal, or the row is not in {@code from}
   */
  public void move(S from, S to, Object... key) {
    if (!from.next().contains(to)) {
      throw new IllegalStateException(
          type.getSimpleName()
              + " cannot move from "
              + from
              + " to "
              + to
              + " (row "
              + describe(key)
              + "); legal from "
              + from
              + ": "
              + from.next());
    }
    Object[] args = new Object[key.length + 2];
    args[0] = to.name();
    System.arraycopy(key, 0, args, 1, key.length);
    args[args.length - 1] = from.name();
    int n =
        jdbc.update(
            "UPDATE " + table + " SET status = ? WHERE " + keyColumns + " AND status = ?", args);
    if (n != 1) {
      throw new IllegalStateException(
          table
              + " row "
              + describe(key)
              + " is not "
              + from
              + ", so it cannot move to "
              + to
              + " (it is "
              + current(key)
              + ")");
    }
    log.record(from, to);
  }

  /** The row's status, or null when there is no such row. */
  public S current(Object... key) {
    return jdbc
        .queryForList("SELECT status FROM " + table + " WHERE " + keyColumns, String.class, key)
        .stream()
        .findFirst()
        .map(s -> Enum.valueOf(type, s))
        .orElse(null);
  }

  /** The creation of a row in {@code status}, which must be an initial status. */
  public String initial(S status) {
    if (!status.initial()) {
      throw new IllegalStateException(
          type.getSimpleName() + " rows cannot be created in " + status);
    }
    return status.name();
  }

  private static String describe(Object[] key) {
    return java.util.Arrays.toString(key);
  }
}
