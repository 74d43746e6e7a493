package dev.cohort.messaging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idempotent inbox of one consumer: {@link #receive} records the message id and runs the
 * handler for its type in one local transaction, so a redelivered message finds its id and is
 * skipped. A message that can never apply (no handler for its type, a payload the handler refuses
 * with {@link UnprocessableMessageException}) is parked with its payload and the reason — the
 * consumer's visible dead-letter path ({@link #parked}) — and acknowledged, since it is now kept
 * here; any other failure rolls back and is rethrown so that the broker delivers it again.
 *
 * <pre>{@code
 * Inbox inbox = Inbox.builder(tables, "shipping")
 *     .handler("order.paid", (conn, m) -> ship(conn, m.payload()))
 *     .build();
 * broker.subscribe("shipping", List.of("orders.paid"), inbox::receive);
 * // or, a transaction per delivered batch instead of per message:
 * broker.subscribeBatches("shipping", List.of("orders.paid"), inbox::receiveAll);
 * }</pre>
 */
public final class Inbox {
  private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);
  private static final String COLUMNS =
      "consumer, message_id, destination, aggregate_key, type, saga_id, status, reason, payload,"
          + " received_at";

  private final MessagingTables tables;
  private final String table;
  private final String consumer;
  private final Map<String, InboxHandler> handlers;
  private final Clock clock;
  private final Consumer<StatusChange<InboxStatus>> onChange;
  private final DeadLetterJournal journal;
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong parked = new AtomicLong();

  private Inbox(Builder b) {
    this.journal = new DeadLetterJournal(b.tables);
    this.tables = b.tables;
    this.table = tables.table("inbox");
    this.consumer = b.consumer;
    this.handlers = Map.copyOf(b.handlers);
    this.clock = b.clock;
    this.onChange = b.onChange;
  }

  public static Builder builder(MessagingTables tables, String consumer) {
    return new Builder(tables, consumer);
  }

  public String consumer() {
    return consumer;
  }

  /**
   * Applies {@code message} once: records its id and runs its handler in one local transaction.
   *
   * @throws Exception what the handler threw (other than {@link UnprocessableMessageException}), or
   *     a database failure: nothing was recorded, the message must be delivered again
   */
  public InboxResult receive(Message message) throws Exception {
    Objects.requireNonNull(message, "message must not be null");
    try (Connection c = tables.connection()) {
      c.setAutoCommit(false);
      try {
        InboxResult result = receiveIn(c, message);
        c.commit();
        notify(message, result);
        return result;
      } catch (Exception | Error e) {
        rollback(c, e);
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  /**
   * Applies a consumer's batch ({@code messages} in delivery order, see {@link
   * Broker#subscribeBatches}) in one local transaction: the ids recorded in one round trip (where
   * the driver reports each row's count), each new message's handler run on that connection, one
   * commit. It has the effect of calling {@link #receive} on each in order: if anything in the
   * batch fails — a handler throwing (also {@link UnprocessableMessageException}), the database —
   * the transaction is rolled back and the messages are received one by one, each in its own
   * transaction, so a message that cannot apply is parked or fails alone. A handler may therefore
   * run twice for one message, the first time in the rolled-back transaction.
   *
   * @return how many of the first messages were applied, skipped or parked (all of them, unless one
   *     failed on its own: it and the ones after it are not acknowledged and must be delivered
   *     again)
   */
  public int receiveAll(List<Message> messages) throws Exception {
    Objects.requireNonNull(messages, "messages must not be null");
    if (messages.isEmpty()) {
      return 0;
    }
    if (messages.size() == 1) {
      receive(messages.get(0));
      return 1;
    }
    List<InboxResult> results;
    try {
      results = receiveInOne(messages);
    } catch (Exception e) {
      LOG.debug(
          "consumer {}: a batch of {} failed ({}); receiving them one by one",
          consumer,
          messages.size(),
          e.toString());
      return receiveOneByOne(messages);
    }
    for (int i = 0; i < messages.size(); i++) {
      notify(messages.get(i), results.get(i));
    }
    return messages.size();
  }

  private List<InboxResult> receiveInOne(List<Message> messages) throws Exception {
    try (Connection c = tables.connection()) {
      c.setAutoCommit(false);
      try {
        boolean[] recorded = insertAll(c, messages);
        List<InboxResult> results = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
          Message m = messages.get(i);
          InboxHandler handler = handlers.get(m.type());
          if (!recorded[i]) {
            results.add(InboxResult.DUPLICATE_SKIPPED);
          } else if (handler == null) {
            park(c, m, unknownType(m));
            results.add(InboxResult.PARKED);
          } else {
            handler.apply(
                c, m); // a throw rolls back the batch; alone, its work is undone to a savepoint
            results.add(InboxResult.APPLIED);
          }
        }
        c.commit();
        return results;
      } catch (Exception | Error e) {
        rollback(c, e);
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  /**
   * Records every id of the batch, each as {@link #insert} would; says which were new (an id that
   * comes twice in the batch is new at most at its first place). PostgreSQL takes them in one
   * statement (the columns as arrays, the ids it inserted returned); SQLite as one JDBC batch
   * reporting each row's count; MariaDB's driver may not report them, so there they go one
   * statement each (still in the one transaction).
   */
  private boolean[] insertAll(Connection c, List<Message> messages) throws SQLException {
    boolean[] recorded = new boolean[messages.size()];
    switch (tables.database()) {
      case POSTGRESQL -> insertInOneStatement(c, messages, recorded);
      case MARIADB -> {
        for (int i = 0; i < messages.size(); i++) {
          recorded[i] = insert(c, messages.get(i), InboxStatus.APPLIED, null) == 1;
        }
      }
      case SQLITE -> insertInBatch(c, messages, recorded);
    }
    return recorded;
  }

  private void insertInOneStatement(Connection c, List<Message> messages, boolean[] recorded)
      throws SQLException {
    int n = messages.size();
    String[][] columns = new String[5][n];
    for (int i = 0; i < n; i++) {
      Message m = messages.get(i);
      columns[0][i] = m.id();
      columns[1][i] = m.destination();
      columns[2][i] = m.key();
      columns[3][i] = m.type();
      columns[4][i] = m.sagaId();
    }
    String sql =
        "INSERT INTO "
            + table
            + " ("
            + COLUMNS
            + ") SELECT ?, m.id, m.destination, m.aggregate_key, m.type, m.saga_id, ?, NULL, NULL,"
            + " ? FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],"
            + " ?::varchar[]) AS m (id, destination, aggregate_key, type, saga_id)"
            + " ON CONFLICT (consumer, message_id) DO NOTHING RETURNING message_id";
    Set<String> inserted = new HashSet<>(n * 2);
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, consumer);
      s.setString(2, InboxStatus.APPLIED.code());
      s.setLong(3, clock.millis());
      for (int k = 0; k < columns.length; k++) {
        s.setArray(4 + k, c.createArrayOf("varchar", columns[k]));
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          inserted.add(rs.getString(1));
        }
      }
    }
    // An id twice in the batch is inserted once (DO NOTHING skips the second): new at its first
    // place, a duplicate after.
    for (int i = 0; i < n; i++) {
      recorded[i] = inserted.remove(messages.get(i).id());
    }
  }

  private void insertInBatch(Connection c, List<Message> messages, boolean[] recorded)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(insertSql())) {
      for (Message m : messages) {
        bind(s, m, InboxStatus.APPLIED, null);
        s.addBatch();
      }
      int[] counts = s.executeBatch();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] != 0 && counts[i] != 1) {
          throw new SQLException(
              "the driver reported "
                  + counts[i]
                  + " rows for one inbox insert; cannot tell a"
                  + " duplicate from a new message in a batch");
        }
        recorded[i] = counts[i] == 1;
      }
    }
  }

  /** Each message in its own transaction, until one fails: how many were settled. */
  private int receiveOneByOne(List<Message> messages) {
    for (int i = 0; i < messages.size(); i++) {
      try {
        receive(messages.get(i));
      } catch (Exception e) {
        LOG.warn(
            "consumer {} failed message {}; it and the {} after it will be delivered again",
            consumer,
            messages.get(i).id(),
            messages.size() - i - 1,
            e);
        return i;
      }
    }
    return messages.size();
  }

  private String unknownType(Message m) {
    return "unknown message type '"
        + m.type()
        + "'; consumer '"
        + consumer
        + "' handles "
        + handlers.keySet();
  }

  private InboxResult receiveIn(Connection c, Message m) throws Exception {
    if (insert(c, m, InboxStatus.APPLIED, null) == 0) {
      return InboxResult.DUPLICATE_SKIPPED;
    }
    InboxHandler handler = handlers.get(m.type());
    if (handler == null) {
      park(c, m, unknownType(m));
      return InboxResult.PARKED;
    }
    Savepoint beforeWork = c.setSavepoint();
    try {
      handler.apply(c, m);
    } catch (UnprocessableMessageException e) {
      c.rollback(beforeWork);
      park(c, m, e.getMessage() == null ? e.toString() : e.getMessage());
      return InboxResult.PARKED;
    }
    return InboxResult.APPLIED;
  }

  private void park(Connection c, Message m, String reason) throws SQLException {
    String r = reason.length() > 1000 ? reason.substring(0, 1000) : reason;
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE "
                + table
                + " SET status = ?, reason = ?, payload = ? WHERE consumer = ? AND message_id = ?")) {
      s.setString(1, InboxStatus.PARKED.code());
      s.setString(2, r);
      s.setString(3, m.payload());
      s.setString(4, consumer);
      s.setString(5, m.id());
      s.executeUpdate();
    }
    LOG.warn("consumer {} parked message {} ({}): {}", consumer, m.id(), m.type(), r);
  }

  private int insert(Connection c, Message m, InboxStatus status, String reason)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(insertSql())) {
      bind(s, m, status, reason);
      return s.executeUpdate();
    }
  }

  private String insertSql() {
    return tables.insertIgnore(table, COLUMNS, 10, "consumer, message_id");
  }

  private void bind(PreparedStatement s, Message m, InboxStatus status, String reason)
      throws SQLException {
    s.setString(1, consumer);
    s.setString(2, m.id());
    s.setString(3, m.destination());
    s.setString(4, m.key());
    s.setString(5, m.type());
    s.setString(6, m.sagaId());
    s.setString(7, status.code());
    s.setString(8, reason);
    s.setString(9, null);
    s.setLong(10, clock.millis());
  }

  private void notify(Message m, InboxResult result) {
    switch (result) {
      case APPLIED -> {
        applied.incrementAndGet();
        onChange.accept(new StatusChange<>(m.id(), null, InboxStatus.APPLIED));
      }
      case PARKED -> {
        parked.incrementAndGet();
        onChange.accept(new StatusChange<>(m.id(), null, InboxStatus.PARKED));
      }
      case DUPLICATE_SKIPPED -> duplicates.incrementAndGet();
    }
  }

  /** What {@link #receive} did since this inbox was built: its metrics. */
  public InboxStats stats() {
    return new InboxStats(applied.get(), duplicates.get(), parked.get());
  }

  /** Parked messages of this consumer now (its dead letters waiting for an operator). */
  public long parkedCount() {
    try (Connection c = tables.connection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT COUNT(*) FROM " + table + " WHERE consumer = ? AND status = ?")) {
      s.setString(1, consumer);
      s.setString(2, InboxStatus.PARKED.code());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new MessagingException("could not count the parked messages of " + consumer, e);
    }
  }

  /** Whether this consumer has recorded {@code messageId} (applied or parked). */
  public boolean seen(String messageId) {
    return find(messageId).isPresent();
  }

  public Optional<InboxEntry> find(String messageId) {
    return query(" WHERE consumer = ? AND message_id = ?", List.of(consumer, messageId), 1).stream()
        .findFirst();
  }

  /** The parked messages, oldest first: this consumer's dead-letter path. */
  public List<InboxEntry> parked(int limit) {
    return query(
        " WHERE consumer = ? AND status = ? ORDER BY received_at",
        List.of(consumer, InboxStatus.PARKED.code()),
        limit);
  }

  /**
   * Operator: runs the handler on a parked message again (e.g. after deploying the handler it
   * lacked); PARKED → APPLIED when it applies, still PARKED with the new reason when it does not.
   */
  public InboxResult replay(String messageId) throws Exception {
    InboxEntry entry =
        find(messageId)
            .filter(e -> e.status() == InboxStatus.PARKED)
            .orElseThrow(() ->
                new IllegalStateException(
                    "consumer " + consumer + " has no parked message " + messageId));
    Message m = entry.message();
    InboxHandler handler = handlers.get(m.type());
    try (Connection c = tables.connection()) {
      c.setAutoCommit(false);
      try {
        if (handler == null) {
          park(c, m, "unknown message type '" + m.type() + "'; handled: " + handlers.keySet());
          c.commit();
          return InboxResult.PARKED;
        }
        Savepoint beforeWork = c.setSavepoint();
        try {
          handler.apply(c, m);
        } catch (UnprocessableMessageException e) {
          c.rollback(beforeWork);
          park(c, m, String.valueOf(e.getMessage()));
          c.commit();
          return InboxResult.PARKED;
        }
        if (!move(c, messageId, InboxStatus.PARKED, InboxStatus.APPLIED)) {
          c.rollback();
          return InboxResult.DUPLICATE_SKIPPED; // someone replayed or discarded it meanwhile
        }
        journal.record(
            c, consumer, messageId, DeadLetterAction.Kind.REPLAYED, null, clock.instant());
        c.commit();
        onChange.accept(new StatusChange<>(messageId, InboxStatus.PARKED, InboxStatus.APPLIED));
        return InboxResult.APPLIED;
      } catch (Exception | Error e) {
        rollback(c, e);
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  /** Operator: drops a parked message (PARKED → DISCARDED); journaled. */
  public boolean discard(String messageId) {
    return discard(messageId, null);
  }

  /**
   * Operator: drops a parked message (PARKED → DISCARDED), journaled as {@link
   * DeadLetterAction.Kind#DISCARDED} with {@code reason} in the same transaction.
   */
  public boolean discard(String messageId, String reason) {
    return discardParked(tables, consumer, messageId, reason, clock, onChange);
  }

  /** The one place a parked message is discarded: also for {@link DeadLetters} (no handlers). */
  static boolean discardParked(
      MessagingTables tables,
      String consumer,
      String messageId,
      String reason,
      Clock clock,
      Consumer<StatusChange<InboxStatus>> onChange) {
    try (Connection c = tables.connection()) {
      c.setAutoCommit(false);
      try {
        boolean moved =
            move(tables, c, consumer, messageId, InboxStatus.PARKED, InboxStatus.DISCARDED);
        if (moved) {
          new DeadLetterJournal(tables)
              .record(
                  c, consumer, messageId, DeadLetterAction.Kind.DISCARDED, reason, clock.instant());
        }
        c.commit();
        if (moved) {
          onChange.accept(new StatusChange<>(messageId, InboxStatus.PARKED, InboxStatus.DISCARDED));
        }
        return moved;
      } catch (SQLException | RuntimeException e) {
        rollback(c, e);
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new MessagingException("could not discard message " + messageId, e);
    }
  }

  private boolean move(Connection c, String messageId, InboxStatus from, InboxStatus to)
      throws SQLException {
    return move(tables, c, consumer, messageId, from, to);
  }

  private static boolean move(
      MessagingTables tables,
      Connection c,
      String consumer,
      String messageId,
      InboxStatus from,
      InboxStatus to)
      throws SQLException {
    from.transition(to);
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE "
                + tables.table("inbox")
                + " SET status = ? WHERE consumer = ? AND message_id = ? AND status = ?")) {
      s.setString(1, to.code());
      s.setString(2, consumer);
      s.setString(3, messageId);
      s.setString(4, from.code());
      return s.executeUpdate() == 1;
    }
  }

  private List<InboxEntry> query(String where, List<String> args, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit is " + limit + "; it must be at least 1");
    }
    List<InboxEntry> rows = new ArrayList<>();
    try (Connection c = tables.connection();
        PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM " + table + where)) {
      for (int i = 0; i < args.size(); i++) {
        s.setString(i + 1, args.get(i));
      }
      s.setMaxRows(limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next() && rows.size() < limit) {
          String payload = rs.getString(9);
          Message m =
              new Message(
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  payload == null ? "" : payload);
          rows.add(
              new InboxEntry(
                  rs.getString(1),
                  m,
                  InboxStatus.fromCode(rs.getString(7)),
                  rs.getString(8),
                  Instant.ofEpochMilli(rs.getLong(10))));
        }
      }
    } catch (SQLException e) {
      throw new MessagingException("could not read " + table, e);
    }
    return rows;
  }

  private static void rollback(Connection c, Throwable failure) {
    try {
      c.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  /** Settings of an {@link Inbox}. */
  public static final class Builder {
    private final MessagingTables tables;
    private final String consumer;
    private final Map<String, InboxHandler> handlers = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private Consumer<StatusChange<InboxStatus>> onChange = change -> {};

    private Builder(MessagingTables tables, String consumer) {
      this.tables = Objects.requireNonNull(tables, "tables must not be null");
      if (consumer == null || consumer.isBlank() || consumer.length() > Message.MAX_ID_LENGTH) {
        throw new IllegalArgumentException(
            "consumer '"
                + consumer
                + "' must be 1-"
                + Message.MAX_ID_LENGTH
                + " characters: the name of the consuming service, e.g. 'shipping'");
      }
      this.consumer = consumer;
    }

    /** The handler of messages of {@code type}; one per type. */
    public Builder handler(String type, InboxHandler handler) {
      Objects.requireNonNull(handler, "handler must not be null");
      if (type == null || type.isBlank()) {
        throw new IllegalArgumentException("type must not be blank, e.g. 'order.placed'");
      }
      if (handlers.putIfAbsent(type, handler) != null) {
        throw new IllegalArgumentException(
            "type '" + type + "' already has a handler; register one handler per type");
      }
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /** Called after each status change committed; must not throw. */
    public Builder onStatusChange(Consumer<StatusChange<InboxStatus>> listener) {
      this.onChange = Objects.requireNonNull(listener, "listener must not be null");
      return this;
    }

    public Inbox build() {
      return new Inbox(this);
    }
  }
}
