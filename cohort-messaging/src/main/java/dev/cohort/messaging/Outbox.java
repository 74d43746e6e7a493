package dev.cohort.messaging;

import dev.cohort.jdbc.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The transactional outbox: {@link #append} writes a message in the caller's local transaction,
 * next to the business change, so that both commit or neither does; a {@link Relay} publishes what
 * committed. Dead letters (messages the relay gave up on) stay here, listed by {@link
 * #deadLetters}, until an operator retries or discards them.
 *
 * <pre>{@code
 * Outbox outbox = Outbox.builder(MessagingTables.of(dataSource).migrate()).build();
 * try (Connection c = dataSource.getConnection()) {
 *   c.setAutoCommit(false);
 *   placeOrder(c, order);
 *   outbox.append(c, Message.of(eventId, "orders.placed", order.id(), "order.placed", json));
 *   c.commit();
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Outbox {
  /** Default largest payload, in UTF-8 bytes. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;

  private static final String COLUMNS =
      "seq, message_id, destination, aggregate_key, type, saga_id, payload, status, attempts,"
          + " next_attempt_at, last_error, created_at, sent_at";
  private static final String VOIDED_TYPE = "cohort.voided";

  private final MessagingTables tables;
  private final String table;
  private final Clock clock;
  private final int maxPayloadBytes;
  private final Consumer<StatusChange<OutboxStatus>> onChange;
  private final DeadLetterJournal journal;

  private Outbox(Builder b) {
    this.tables = b.tables;
    this.table = tables.table("outbox");
    this.journal = new DeadLetterJournal(tables);
    this.clock = b.clock;
    this.maxPayloadBytes = b.maxPayloadBytes;
    this.onChange = b.onChange;
  }

  public static Builder builder(MessagingTables tables) {
    return new Builder(tables);
  }

  public MessagingTables tables() {
    return tables;
  }

  Clock clock() {
    return clock;
  }

  /**
   * Writes {@code message} as PENDING on {@code connection}, inside the caller's transaction
   * (auto-commit off); the caller commits it with the business change.
   *
   * @throws MessageTooLargeException the payload is over the limit; nothing was written
   * @throws DuplicateMessageException the id is taken; roll the transaction back
   * @throws MessagingException the insert failed; roll the transaction back
   */
  public void append(Connection connection, Message message) {
    Objects.requireNonNull(message, "message must not be null");
    int bytes = message.payloadBytes();
    if (bytes > maxPayloadBytes) {
      throw new MessageTooLargeException(message.id(), bytes, maxPayloadBytes);
    }
    Objects.requireNonNull(connection, "connection must not be null; pass the one in transaction");
    int inserted;
    try {
      if (connection.getAutoCommit()) {
        throw new IllegalArgumentException(
            "append needs the connection of the business transaction, but auto-commit is on: call"
                + " connection.setAutoCommit(false), make the change, append, then commit");
      }
      inserted = insert(connection, message, OutboxStatus.PENDING);
    } catch (SQLException e) {
      throw new MessagingException("could not write message " + message.id() + " to " + table, e);
    }
    if (inserted == 0) {
      throw new DuplicateMessageException(message.id());
    }
    onChange.accept(new StatusChange<>(message.id(), null, OutboxStatus.PENDING));
  }

  private int insert(Connection c, Message m, OutboxStatus status) throws SQLException {
    long now = clock.millis();
    String sql =
        tables.insertIgnore(
            table,
            "message_id, destination, aggregate_key, type, saga_id, payload, status, attempts,"
                + " next_attempt_at, created_at",
            10,
            "message_id");
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, m.id());
      s.setString(2, m.destination());
      s.setString(3, m.key());
      s.setString(4, m.type());
      s.setString(5, m.sagaId());
      s.setString(6, m.payload());
      s.setString(7, status.code());
      s.setInt(8, 0);
      s.setLong(9, now);
      s.setLong(10, now);
      return s.executeUpdate();
    }
  }

  /**
   * Answers a coordinator's check-back for a reliable message whose submit never arrived: whether
   * the local transaction that writes message {@code messageId} committed. When it did not, the id
   * is closed with a VOIDED row first, so the answer cannot change afterwards (a transaction still
   * running then fails on the key; on PostgreSQL and MariaDB this call waits for it to end).
   */
  public LocalTransactionState checkBack(String messageId) {
    Message tombstone = Message.of(messageId, "cohort.voided", messageId, VOIDED_TYPE, "");
    try (Connection c = tables.connection()) {
      c.setAutoCommit(false);
      try {
        if (insert(c, tombstone, OutboxStatus.VOIDED) > 0) {
          c.commit();
          onChange.accept(new StatusChange<>(messageId, null, OutboxStatus.VOIDED));
          return LocalTransactionState.ROLLED_BACK;
        }
        OutboxStatus status = statusOf(c, messageId);
        c.commit();
        return status == OutboxStatus.VOIDED
            ? LocalTransactionState.ROLLED_BACK
            : LocalTransactionState.COMMITTED;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new MessagingException("could not check back message " + messageId, e);
    }
  }

  private OutboxStatus statusOf(Connection c, String messageId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            tables.current("SELECT status FROM " + table + " WHERE message_id = ?"))) {
      s.setString(1, messageId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("outbox row " + messageId + " vanished", "40001");
        }
        return OutboxStatus.fromCode(rs.getString(1));
      }
    }
  }

  /** The row of {@code messageId}, if any. */
  public Optional<OutboxEntry> find(String messageId) {
    List<OutboxEntry> found =
        query(
            "SELECT " + COLUMNS + " FROM " + table + " WHERE message_id = ?",
            s -> s.setString(1, messageId));
    return found.stream().findFirst();
  }

  /** The messages the relay gave up on, oldest first: the visible dead-letter path. */
  public List<OutboxEntry> deadLetters(int limit) {
    return list(OutboxStatus.DEAD, limit);
  }

  /** Rows in {@code status}, oldest first. */
  public List<OutboxEntry> list(OutboxStatus status, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit is " + limit + "; it must be at least 1");
    }
    // LIMIT in the SQL (not only setMaxRows): the planner then walks the (status, seq) index.
    return query(
        "SELECT " + COLUMNS + " FROM " + table + " WHERE " + is(status) + " ORDER BY seq LIMIT ?",
        s -> s.setInt(1, limit),
        limit);
  }

  /** How many rows are in {@code status}. */
  public long count(OutboxStatus status) {
    try (Connection c = tables.connection();
        PreparedStatement s =
            c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE " + is(status))) {
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new MessagingException("could not count " + status + " rows of " + table, e);
    }
  }

  /** Operator: publish a dead message again (DEAD → PENDING, attempts from zero); journaled. */
  public boolean retry(String messageId) {
    return retry(messageId, null);
  }

  /**
   * Operator: publish a dead message again (DEAD → PENDING, attempts from zero), journaled as
   * {@link DeadLetterAction.Kind#REQUEUED} with {@code note} in the same transaction.
   */
  public boolean retry(String messageId, String note) {
    return change(
        messageId,
        OutboxStatus.DEAD,
        OutboxStatus.PENDING,
        ", attempts = 0, next_attempt_at = " + clock.millis(),
        DeadLetterAction.Kind.REQUEUED,
        note);
  }

  /** Operator: drop a dead message (DEAD → DISCARDED); its aggregate's later messages go on. */
  public boolean discard(String messageId) {
    return discard(messageId, null);
  }

  /**
   * Operator: drop a dead message (DEAD → DISCARDED), journaled as {@link
   * DeadLetterAction.Kind#DISCARDED} with {@code reason} in the same transaction; its aggregate's
   * later messages go on.
   */
  public boolean discard(String messageId, String reason) {
    return change(
        messageId,
        OutboxStatus.DEAD,
        OutboxStatus.DISCARDED,
        "",
        DeadLetterAction.Kind.DISCARDED,
        reason);
  }

  private boolean change(
      String messageId,
      OutboxStatus from,
      OutboxStatus to,
      String extra,
      DeadLetterAction.Kind action,
      String reason) {
    from.transition(to);
    try (Connection c = tables.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement s =
          c.prepareStatement(
              "UPDATE "
                  + table
                  + " SET status = ?"
                  + extra
                  + " WHERE message_id = ? AND status = ?")) {
        s.setString(1, to.code());
        s.setString(2, messageId);
        s.setString(3, from.code());
        boolean changed = s.executeUpdate() == 1;
        if (changed) {
          journal.record(c, null, messageId, action, reason, clock.instant());
        }
        c.commit();
        if (changed) {
          onChange.accept(new StatusChange<>(messageId, from, to));
        }
        return changed;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new MessagingException("could not move message " + messageId + " to " + to, e);
    }
  }

  /** When the oldest PENDING row was written; empty when none is pending (the backlog's age). */
  public Optional<Instant> oldestPending() {
    try (Connection c = tables.connection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT MIN(created_at) FROM " + table + " WHERE " + is(OutboxStatus.PENDING))) {
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        long at = rs.getLong(1);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(at));
      }
    } catch (SQLException e) {
      throw new MessagingException("could not read the oldest pending row of " + table, e);
    }
  }

  // ---- for the relay

  /** The oldest PENDING rows, due or not (a row not yet due still holds its aggregate's later). */
  List<OutboxEntry> pending(int limit) {
    return list(OutboxStatus.PENDING, limit);
  }

  /**
   * The oldest {@code limit} PENDING rows other than {@code leaveOut} (rows the relay has in hand).
   * On PostgreSQL the database leaves them out (an array of seqs), so they are neither read nor
   * sent again; elsewhere {@code limit + leaveOut.size()} rows are read and filtered here.
   */
  List<OutboxEntry> pending(int limit, Set<Long> leaveOut) {
    if (leaveOut.isEmpty()) {
      return pending(limit);
    }
    if (tables.database() != Database.POSTGRESQL) {
      List<OutboxEntry> rows = new ArrayList<>(limit);
      for (OutboxEntry e : pending(limit + leaveOut.size())) {
        if (!leaveOut.contains(e.seq()) && rows.size() < limit) {
          rows.add(e);
        }
      }
      return rows;
    }
    Long[] seqs = leaveOut.toArray(Long[]::new);
    return query(
        "SELECT "
            + COLUMNS
            + " FROM "
            + table
            + " WHERE "
            + is(OutboxStatus.PENDING)
            + " AND NOT (seq = ANY (?)) ORDER BY seq LIMIT ?",
        s -> {
          s.setArray(1, s.getConnection().createArrayOf("bigint", seqs));
          s.setInt(2, limit);
        },
        limit);
  }

  /** The aggregates that have a dead message, with its seq: their later messages wait. */
  Map<String, Long> deadKeys() {
    Map<String, Long> keys = new HashMap<>();
    try (Connection c = tables.connection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT aggregate_key, MIN(seq) FROM "
                    + table
                    + " WHERE "
                    + is(OutboxStatus.DEAD)
                    + " GROUP BY aggregate_key")) {
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          keys.put(rs.getString(1), rs.getLong(2));
        }
      }
    } catch (SQLException e) {
      throw new MessagingException("could not read the dead aggregates of " + table, e);
    }
    return keys;
  }

  /**
   * PENDING → SENT for every row of {@code sent}, atomically. On PostgreSQL one statement (the seqs
   * as an array, the moved ids returned): one round trip and one statement execution for the whole
   * batch; elsewhere a JDBC batch in one transaction.
   */
  void markSent(List<OutboxEntry> sent) {
    OutboxStatus.PENDING.transition(OutboxStatus.SENT);
    long now = clock.millis();
    List<String> moved;
    try (Connection c = tables.connection()) {
      moved =
          tables.database() == Database.POSTGRESQL
              ? markSentInOneStatement(c, sent, now)
              : markSentInBatch(c, sent, now);
    } catch (SQLException e) {
      throw new MessagingException("could not mark " + sent.size() + " messages sent", e);
    }
    for (String id : moved) {
      onChange.accept(new StatusChange<>(id, OutboxStatus.PENDING, OutboxStatus.SENT));
    }
  }

  private List<String> markSentInOneStatement(Connection c, List<OutboxEntry> sent, long now)
      throws SQLException {
    Long[] seqs = new Long[sent.size()];
    for (int i = 0; i < seqs.length; i++) {
      seqs[i] = sent.get(i).seq();
    }
    List<String> moved = new ArrayList<>(sent.size());
    // One statement in auto-commit is its own transaction: all rows move or none.
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE "
                + table
                + " SET status = ?, sent_at = ? WHERE seq = ANY (?) AND status = ?"
                + " RETURNING message_id")) {
      s.setString(1, OutboxStatus.SENT.code());
      s.setLong(2, now);
      s.setArray(3, c.createArrayOf("bigint", seqs));
      s.setString(4, OutboxStatus.PENDING.code());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          moved.add(rs.getString(1));
        }
      }
    }
    return moved;
  }

  private List<String> markSentInBatch(Connection c, List<OutboxEntry> sent, long now)
      throws SQLException {
    List<String> moved = new ArrayList<>(sent.size());
    c.setAutoCommit(false);
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE " + table + " SET status = ?, sent_at = ? WHERE seq = ? AND status = ?")) {
      for (OutboxEntry e : sent) {
        s.setString(1, OutboxStatus.SENT.code());
        s.setLong(2, now);
        s.setLong(3, e.seq());
        s.setString(4, OutboxStatus.PENDING.code());
        s.addBatch();
      }
      int[] counts = s.executeBatch();
      c.commit();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] != 0) {
          moved.add(sent.get(i).message().id());
        }
      }
      return moved;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /** Records a failed attempt: the next one at {@code nextAttemptAt}, or DEAD when it is null. */
  boolean markFailed(OutboxEntry e, int attempts, Instant nextAttemptAt, String error) {
    OutboxStatus to = nextAttemptAt == null ? OutboxStatus.DEAD : OutboxStatus.PENDING;
    String message = error.length() > 1000 ? error.substring(0, 1000) : error;
    try (Connection c = tables.connection();
        PreparedStatement s =
            c.prepareStatement(
                "UPDATE "
                    + table
                    + " SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?"
                    + " WHERE seq = ? AND status = ?")) {
      s.setString(1, to.code());
      s.setInt(2, attempts);
      s.setLong(3, nextAttemptAt == null ? clock.millis() : nextAttemptAt.toEpochMilli());
      s.setString(4, message);
      s.setLong(5, e.seq());
      s.setString(6, OutboxStatus.PENDING.code());
      boolean changed = s.executeUpdate() == 1;
      if (changed && to == OutboxStatus.DEAD) {
        onChange.accept(new StatusChange<>(e.message().id(), OutboxStatus.PENDING, to));
      }
      return changed;
    } catch (SQLException ex) {
      throw new MessagingException("could not record a failed attempt of " + e.message().id(), ex);
    }
  }

  /**
   * {@code status = '<code>'}, the code written into the statement rather than bound: on PostgreSQL
   * the index the relay reads ({@code outbox_unsent}, schema V4) leaves SENT rows out, and the
   * planner can use such a partial index only when it sees the value. A bound value gets a generic
   * plan after a few executions, which may walk the primary key over every SENT row.
   */
  private static String is(OutboxStatus status) {
    return "status = '" + status.code() + "'";
  }

  private interface Binder {
    void bind(PreparedStatement s) throws SQLException;
  }

  private List<OutboxEntry> query(String sql, Binder binder) {
    return query(sql, binder, Integer.MAX_VALUE);
  }

  private List<OutboxEntry> query(String sql, Binder binder, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit is " + limit + "; it must be at least 1");
    }
    List<OutboxEntry> rows = new ArrayList<>();
    try (Connection c = tables.connection();
        PreparedStatement s = c.prepareStatement(sql)) {
      binder.bind(s);
      s.setMaxRows(limit == Integer.MAX_VALUE ? 0 : limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next() && rows.size() < limit) {
          rows.add(read(rs));
        }
      }
    } catch (SQLException e) {
      throw new MessagingException("could not read " + table, e);
    }
    return rows;
  }

  private static OutboxEntry read(ResultSet rs) throws SQLException {
    long sentAt = rs.getLong(13);
    boolean notSent = rs.wasNull();
    Message message =
        new Message(
            rs.getString(2),
            rs.getString(3),
            rs.getString(4),
            rs.getString(5),
            rs.getString(6),
            rs.getString(7));
    return new OutboxEntry(
        rs.getLong(1),
        message,
        OutboxStatus.fromCode(rs.getString(8)),
        rs.getInt(9),
        Instant.ofEpochMilli(rs.getLong(10)),
        rs.getString(11),
        Instant.ofEpochMilli(rs.getLong(12)),
        notSent ? null : Instant.ofEpochMilli(sentAt));
  }

  /** Settings of an {@link Outbox}; every one has a default. */
  public static final class Builder {
    private final MessagingTables tables;
    private Clock clock = Clock.systemUTC();
    private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
    private Consumer<StatusChange<OutboxStatus>> onChange = change -> {};

    private Builder(MessagingTables tables) {
      this.tables = Objects.requireNonNull(tables, "tables must not be null");
    }

    /** Stamps rows and decides when a retry is due. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /** Largest payload {@link #append} accepts, default {@value #DEFAULT_MAX_PAYLOAD_BYTES}. */
    public Builder maxPayloadBytes(int maxPayloadBytes) {
      if (maxPayloadBytes < 1) {
        throw new IllegalArgumentException(
            "maxPayloadBytes is " + maxPayloadBytes + "; it must be at least 1");
      }
      this.maxPayloadBytes = maxPayloadBytes;
      return this;
    }

    /** Called after each status change committed (metrics, logs); must not throw. */
    public Builder onStatusChange(Consumer<StatusChange<OutboxStatus>> listener) {
      this.onChange = Objects.requireNonNull(listener, "listener must not be null");
      return this;
    }

    public Outbox build() {
      return new Outbox(this);
    }
  }
}
