package dev.cohort.messaging;

import dev.cohort.api.Scheduler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives choreographed sagas a status and a timeline like orchestrated ones: it reads the events the
 * services exchange (subscribe it to them with {@code broker.subscribe(queue, destinations,
 * tracker::record)}), correlates them by {@link Message#sagaId()}, and moves each saga's status by
 * the kind of event ({@link SagaEventKind}, configured per type). A saga that has not finished by
 * its deadline becomes STALLED and the alert listener hears it, once per saga.
 *
 * <pre>{@code
 * ChoreographyTracker tracker = ChoreographyTracker.builder(tables)
 *     .event("order.placed", SagaEventKind.STARTED)
 *     .event("payment.done", SagaEventKind.STEP)
 *     .event("stock.failed", SagaEventKind.FAILED)
 *     .event("payment.refunded", SagaEventKind.COMPENSATION)
 *     .event("order.cancelled", SagaEventKind.COMPENSATED)
 *     .deadline(Duration.ofMinutes(10))
 *     .onStalled(view -> alerts.page("saga " + view.sagaId() + " stalled"))
 *     .build();
 * }</pre>
 */
public final class ChoreographyTracker implements AutoCloseable {
  public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(10);
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(ChoreographyTracker.class);

  private final MessagingTables tables;
  private final String sagas;
  private final String events;
  private final Map<String, SagaEventKind> kinds;
  private final Duration deadline;
  private final Clock clock;
  private final Consumer<SagaView> onStalled;
  private final Consumer<StatusChange<SagaStatus>> onChange;
  private Scheduler.Cancellable checking;

  private ChoreographyTracker(Builder b) {
    this.tables = b.tables;
    this.sagas = tables.table("saga");
    this.events = tables.table("saga_event");
    this.kinds = Map.copyOf(b.kinds);
    this.deadline = b.deadline;
    this.clock = b.clock;
    this.onStalled = b.onStalled;
    this.onChange = b.onChange;
  }

  public static Builder builder(MessagingTables tables) {
    return new Builder(tables);
  }

  /**
   * Records one event: false when it belongs to no saga or its type is not configured (ignored),
   * true otherwise (a redelivered event is recorded once).
   */
  public boolean record(Message m) throws SQLException {
    SagaEventKind kind = kinds.get(m.type());
    if (m.sagaId() == null || kind == null) {
      return false;
    }
    long now = clock.millis();
    StatusChange<SagaStatus> change = null;
    try (Connection c = tables.connection()) {
      c.setAutoCommit(false);
      try {
        insertSaga(c, m.sagaId(), now);
        touch(c, m.sagaId(), now); // locks the saga's row: its events get positions one by one
        if (insertEvent(c, m, kind, now, nextPosition(c, m.sagaId()))) {
          change = advance(c, m.sagaId(), kind.leadsTo(), now);
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
    if (change != null) {
      onChange.accept(change);
    }
    return true;
  }

  private void insertSaga(Connection c, String sagaId, long now) throws SQLException {
    String sql =
        tables.insertIgnore(
            sagas, "saga_id, status, started_at, updated_at, deadline", 5, "saga_id");
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, sagaId);
      s.setString(2, SagaStatus.RUNNING.code());
      s.setLong(3, now);
      s.setLong(4, now);
      s.setLong(5, now + deadline.toMillis());
      s.executeUpdate();
    }
  }

  private int nextPosition(Connection c, String sagaId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT COUNT(*) FROM " + events + " WHERE saga_id = ?")) {
      s.setString(1, sagaId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1) + 1;
      }
    }
  }

  private boolean insertEvent(Connection c, Message m, SagaEventKind kind, long now, int position)
      throws SQLException {
    String sql =
        tables.insertIgnore(
            events,
            "saga_id, message_id, type, kind, occurred_at, ordinal",
            6,
            "saga_id, message_id");
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, m.sagaId());
      s.setString(2, m.id());
      s.setString(3, m.type());
      s.setString(4, kind.code());
      s.setLong(5, now);
      s.setInt(6, position);
      return s.executeUpdate() == 1;
    }
  }

  /** Moves the saga to {@code to} when legal; events that say nothing new leave it as it is. */
  private StatusChange<SagaStatus> advance(Connection c, String sagaId, SagaStatus to, long now)
      throws SQLException {
    SagaStatus from = statusOf(c, sagaId);
    if (from == to || !from.canTransitionTo(to)) {
      return null; // e.g. a late STEP event of a saga already compensating
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE "
                + sagas
                + " SET status = ?, updated_at = ? WHERE saga_id = ? AND status = ?")) {
      s.setString(1, to.code());
      s.setLong(2, now);
      s.setString(3, sagaId);
      s.setString(4, from.code());
      if (s.executeUpdate() != 1) {
        throw new SQLException("saga " + sagaId + " moved concurrently", "40001");
      }
    }
    return new StatusChange<>(sagaId, from, to);
  }

  private void touch(Connection c, String sagaId, long now) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("UPDATE " + sagas + " SET updated_at = ? WHERE saga_id = ?")) {
      s.setLong(1, now);
      s.setString(2, sagaId);
      s.executeUpdate();
    }
  }

  private SagaStatus statusOf(Connection c, String sagaId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(tables.current("SELECT status FROM " + sagas + " WHERE saga_id = ?"))) {
      s.setString(1, sagaId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return SagaStatus.fromCode(rs.getString(1));
      }
    }
  }

  /** The saga's status and timeline, or empty when no event of it was seen. */
  public Optional<SagaView> find(String sagaId) {
    try (Connection c = tables.connection()) {
      SagaView view = null;
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT status, started_at, updated_at, deadline FROM "
                  + sagas
                  + " WHERE saga_id = ?")) {
        s.setString(1, sagaId);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          view =
              new SagaView(
                  sagaId,
                  SagaStatus.fromCode(rs.getString(1)),
                  Instant.ofEpochMilli(rs.getLong(2)),
                  Instant.ofEpochMilli(rs.getLong(3)),
                  Instant.ofEpochMilli(rs.getLong(4)),
                  timeline(c, sagaId));
        }
      }
      return Optional.of(view);
    } catch (SQLException e) {
      throw new MessagingException("could not read saga " + sagaId, e);
    }
  }

  private List<SagaView.Event> timeline(Connection c, String sagaId) throws SQLException {
    List<SagaView.Event> timeline = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT message_id, type, kind, occurred_at FROM "
                + events
                + " WHERE saga_id = ? ORDER BY ordinal")) {
      s.setString(1, sagaId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          timeline.add(
              new SagaView.Event(
                  rs.getString(1),
                  rs.getString(2),
                  SagaEventKind.fromCode(rs.getString(3)),
                  Instant.ofEpochMilli(rs.getLong(4))));
        }
      }
    }
    return timeline;
  }

  /**
   * Marks every unfinished saga past its deadline STALLED and alerts on it; returns them. Each saga
   * is alerted once: a late event moves it on from STALLED, and it is not stalled again. Runs every
   * check interval after {@link #start}.
   */
  public List<SagaView> checkDeadlines() {
    long now = clock.millis();
    List<String> overdue = new ArrayList<>();
    try (Connection c = tables.connection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT saga_id FROM "
                    + sagas
                    + " WHERE status IN (?, ?) AND deadline < ? AND alerted_at IS NULL"
                    + " ORDER BY deadline")) {
      s.setString(1, SagaStatus.RUNNING.code());
      s.setString(2, SagaStatus.COMPENSATING.code());
      s.setLong(3, now);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          overdue.add(rs.getString(1));
        }
      }
      List<SagaView> stalled = new ArrayList<>();
      for (String sagaId : overdue) {
        SagaStatus from = statusOf(c, sagaId);
        if (from.canTransitionTo(SagaStatus.STALLED) && stall(c, sagaId, from, now)) {
          onChange.accept(new StatusChange<>(sagaId, from, SagaStatus.STALLED));
          SagaView view = find(sagaId).orElseThrow();
          LOG.warn(
              "choreographed saga {} stalled past its deadline {}; last events {}",
              sagaId,
              view.deadline(),
              view.types());
          stalled.add(view);
          onStalled.accept(view);
        }
      }
      return stalled;
    } catch (SQLException e) {
      throw new MessagingException("could not check the sagas' deadlines", e);
    }
  }

  private boolean stall(Connection c, String sagaId, SagaStatus from, long now)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE "
                + sagas
                + " SET status = ?, updated_at = ?, alerted_at = ? WHERE saga_id = ? AND status"
                + " = ?")) {
      s.setString(1, SagaStatus.STALLED.code());
      s.setLong(2, now);
      s.setLong(3, now);
      s.setString(4, sagaId);
      s.setString(5, from.code());
      return s.executeUpdate() == 1;
    }
  }

  /** Checks deadlines every {@code every} on {@code scheduler}. */
  public synchronized ChoreographyTracker start(Scheduler scheduler, Duration every) {
    if (checking == null) {
      checking = scheduler.scheduleRepeatedly(every, this::checkDeadlines);
    }
    return this;
  }

  @Override
  public synchronized void close() {
    if (checking != null) {
      checking.cancel();
      checking = null;
    }
  }

  /** Settings of a {@link ChoreographyTracker}. */
  public static final class Builder {
    private final MessagingTables tables;
    private final Map<String, SagaEventKind> kinds = new LinkedHashMap<>();
    private Duration deadline = DEFAULT_DEADLINE;
    private Clock clock = Clock.systemUTC();
    private Consumer<SagaView> onStalled = view -> {};
    private Consumer<StatusChange<SagaStatus>> onChange = change -> {};

    private Builder(MessagingTables tables) {
      this.tables = Objects.requireNonNull(tables, "tables must not be null");
    }

    /** What events of {@code type} mean to their saga. */
    public Builder event(String type, SagaEventKind kind) {
      Objects.requireNonNull(kind, "kind must not be null");
      if (type == null || type.isBlank()) {
        throw new IllegalArgumentException("type must not be blank, e.g. 'order.placed'");
      }
      if (kinds.putIfAbsent(type, kind) != null) {
        throw new IllegalArgumentException("type '" + type + "' already has a kind");
      }
      return this;
    }

    /** How long after its first event a saga must have finished, default 10 minutes. */
    public Builder deadline(Duration deadline) {
      if (deadline == null || deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException("deadline is " + deadline + "; it must be positive");
      }
      this.deadline = deadline;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /** The alert: called once per saga that stalls; must not throw. */
    public Builder onStalled(Consumer<SagaView> listener) {
      this.onStalled = Objects.requireNonNull(listener, "listener must not be null");
      return this;
    }

    /** Called after each status change committed; must not throw. */
    public Builder onStatusChange(Consumer<StatusChange<SagaStatus>> listener) {
      this.onChange = Objects.requireNonNull(listener, "listener must not be null");
      return this;
    }

    public ChoreographyTracker build() {
      if (kinds.isEmpty()) {
        throw new IllegalArgumentException(
            "the tracker knows no event types; add them with event(type, kind)");
      }
      return new ChoreographyTracker(this);
    }
  }
}
