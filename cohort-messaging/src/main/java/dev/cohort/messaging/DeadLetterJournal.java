package dev.cohort.messaging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code dead_letter_action} table: written in the same local transaction as the status change
 * it records, so an action is journaled exactly when it happened.
 */
final class DeadLetterJournal {
  /** The column's size; a longer reason is cut. */
  static final int MAX_REASON = 1000;

  private final MessagingTables tables;
  private final String table;

  DeadLetterJournal(MessagingTables tables) {
    this.tables = tables;
    this.table = tables.table("dead_letter_action");
  }

  void record(
      Connection c,
      String consumer,
      String messageId,
      DeadLetterAction.Kind action,
      String reason,
      Instant at)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO "
                + table
                + " (consumer, message_id, action, reason, acted_at) VALUES (?, ?, ?, ?, ?)")) {
      s.setString(1, consumer);
      s.setString(2, messageId);
      s.setString(3, action.code());
      s.setString(
          4,
          reason == null || reason.length() <= MAX_REASON
              ? reason
              : reason.substring(0, MAX_REASON));
      s.setLong(5, at.toEpochMilli());
      s.executeUpdate();
    }
  }

  /** Newest first. */
  List<DeadLetterAction> list(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit is " + limit + "; it must be at least 1");
    }
    List<DeadLetterAction> rows = new ArrayList<>();
    try (Connection c = tables.connection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT id, consumer, message_id, action, reason, acted_at FROM "
                    + table
                    + " ORDER BY id DESC")) {
      s.setMaxRows(limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next() && rows.size() < limit) {
          rows.add(
              new DeadLetterAction(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  DeadLetterAction.Kind.fromCode(rs.getString(4)),
                  rs.getString(5),
                  Instant.ofEpochMilli(rs.getLong(6))));
        }
      }
    } catch (SQLException e) {
      throw new MessagingException("could not read " + table, e);
    }
    return rows;
  }
}
