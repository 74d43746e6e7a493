package dev.cohort.examples.shop.common;

import dev.cohort.spring.BranchHandler;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The effect ledger the chaos checker reads ({@code GET /admin/effects}): one row per business
 * effect a service applied, written with {@link JdbcTemplate} on the transaction of the change
 * itself, so a rolled-back change leaves no row and a change applied twice leaves two. No unique
 * key on purpose: a duplicate must show. The barrier's skipped repeats never reach a handler, so
 * they leave no row.
 */
public final class Effects {
  static final String DDL =
      "CREATE TABLE IF NOT EXISTS shop_effect (gid VARCHAR(128) NOT NULL, branch VARCHAR(32) NOT"
          + " NULL, op VARCHAR(16) NOT NULL)";

  private final JdbcTemplate jdbc;

  Effects(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** {@code handler}, then a row for the branch's {@code op} once it has run without throwing. */
  public <T> BranchHandler<T> record(String op, BranchHandler<T> handler) {
    return (payload, call) -> {
      handler.handle(payload, call);
      record(call.gid(), call.branchId(), op);
    };
  }

  /**
   * A row for an effect outside a branch call (the mode without Cohort: {@code gid} is the caller's
   * correlation id, {@code op} {@code action}).
   */
  public void record(String gid, String branch, String op) {
    if (gid != null) {
      jdbc.update("INSERT INTO shop_effect (gid, branch, op) VALUES (?, ?, ?)", gid, branch, op);
    }
  }

  /** The rows whose gid starts with {@code prefix}, as {@code gid}, {@code branch}, {@code op}. */
  public List<Map<String, Object>> startingWith(String prefix) {
    // Filtered here, not with LIKE: a prefix may hold LIKE's wildcards.
    return jdbc.queryForList("SELECT gid, branch, op FROM shop_effect").stream()
        .filter(row -> String.valueOf(row.get("gid")).startsWith(prefix))
        .toList();
  }
}
