package dev.cohort.messaging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The visible dead-letter path of a service's database, for operators (the {@code cohort messages
 * dead-letters} command, a console): every outbox message the relay gave up on and every message a
 * consumer parked, with its reason, attempts and time; requeue an outbox one, discard either with a
 * reason. Each action is journaled ({@link #actions}) in the same local transaction as the status
 * change. Needs only the tables: no broker, no handlers (replaying a parked message runs its
 * handler, so that is {@link Inbox#replay} in the consuming service).
 *
 * <pre>{@code
 * DeadLetters dead = DeadLetters.of(MessagingTables.of(dataSource));
 * dead.list(50).forEach(d -> System.out.println(d.where() + " " + d.message().id() + " " + d.reason()));
 * dead.requeue("order-42-paid", "broker route fixed");
 * dead.discard("inbox:shipping", "msg-7", "duplicate of msg-6, applied by hand");
 * }</pre>
 */
public final class DeadLetters {
  private final MessagingTables tables;
  private final Clock clock;
  private final Outbox outbox;
  private final DeadLetterJournal journal;

  private DeadLetters(MessagingTables tables, Clock clock) {
    this.tables = Objects.requireNonNull(tables, "tables must not be null");
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
    this.outbox = Outbox.builder(tables).clock(clock).build();
    this.journal = new DeadLetterJournal(tables);
  }

  public static DeadLetters of(MessagingTables tables) {
    return new DeadLetters(tables, Clock.systemUTC());
  }

  /** With {@code clock} for the journal's times and the requeued row's next attempt. */
  public static DeadLetters of(MessagingTables tables, Clock clock) {
    return new DeadLetters(tables, clock);
  }

  /** Outbox dead letters and parked messages, oldest first, at most {@code limit} in all. */
  public List<DeadLetter> list(int limit) {
    List<DeadLetter> all = new ArrayList<>();
    for (OutboxEntry e : outbox.list(OutboxStatus.DEAD, limit)) {
      all.add(new DeadLetter(null, e.message(), e.attempts(), e.lastError(), e.nextAttemptAt()));
    }
    all.addAll(parked(limit));
    all.sort(Comparator.comparing(DeadLetter::since));
    return all.size() > limit ? List.copyOf(all.subList(0, limit)) : List.copyOf(all);
  }

  /**
   * Publishes an outbox dead letter again (DEAD → PENDING, attempts from zero), journaled with
   * {@code note}.
   *
   * @return false when {@code messageId} is not a dead outbox message (nothing changed)
   */
  public boolean requeue(String messageId, String note) {
    return outbox.retry(messageId, note);
  }

  /**
   * Drops a dead letter for good, journaled with {@code reason} (required: why it may go).
   *
   * @param where {@code outbox}, or {@code inbox:<consumer>} for a parked message (as {@link
   *     DeadLetter#where()} shows it)
   * @return false when there is no such dead letter (nothing changed)
   */
  public boolean discard(String where, String messageId, String reason) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException(
          "give the reason for discarding " + messageId + "; it is journaled with the action");
    }
    if ("outbox".equals(where)) {
      return outbox.discard(messageId, reason);
    }
    if (where != null && where.startsWith("inbox:") && where.length() > "inbox:".length()) {
      return Inbox.discardParked(
          tables, where.substring("inbox:".length()), messageId, reason, clock, change -> {});
    }
    throw new IllegalArgumentException(
        "where is 'outbox' or 'inbox:<consumer>' (as the listing shows it), was '" + where + "'");
  }

  /** What operators did with dead letters, newest first. */
  public List<DeadLetterAction> actions(int limit) {
    return journal.list(limit);
  }

  private List<DeadLetter> parked(int limit) {
    List<DeadLetter> rows = new ArrayList<>();
    try (Connection c = tables.connection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT consumer, message_id, destination, aggregate_key, type, saga_id, reason,"
                    + " payload, received_at FROM "
                    + tables.table("inbox")
                    + " WHERE status = ? ORDER BY received_at")) {
      s.setString(1, InboxStatus.PARKED.code());
      s.setMaxRows(limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next() && rows.size() < limit) {
          String payload = rs.getString(8);
          Message m =
              new Message(
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  payload == null ? "" : payload);
          rows.add(
              new DeadLetter(
                  rs.getString(1), m, 0, rs.getString(7), Instant.ofEpochMilli(rs.getLong(9))));
        }
      }
    } catch (SQLException e) {
      throw new MessagingException("could not read the parked messages", e);
    }
    return rows;
  }
}
