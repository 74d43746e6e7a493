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
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled scanner of business compensation: each run asks every rule for the entities stuck
 * longer than the rule's threshold, lets the rule check the related systems and decide, applies the
 * forward, backward or alternative repair, and writes what it did to the journal ({@code
 * <prefix>reconciliation}). What a rule cannot fix, and a repair that throws, is journaled and
 * alerted (again on every run, until it is settled).
 *
 * <pre>{@code
 * Reconciler reconciler = Reconciler.builder(tables)
 *     .rule(new StuckOrders(...), Duration.ofMinutes(30))
 *     .onAlert(r -> pager.send(r.rule() + " " + r.entity() + ": " + r.detail()))
 *     .build()
 *     .start(Scheduler.system("reconciler"), Duration.ofMinutes(5));
 * }</pre>
 */
public final class Reconciler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  private final MessagingTables tables;
  private final String journal;
  private final List<Entry<?>> rules;
  private final Clock clock;
  private final Consumer<ReconciliationRecord> onAlert;
  private Scheduler.Cancellable running;

  private record Entry<E>(ReconciliationRule<E> rule, Duration threshold) {}

  private Reconciler(Builder b) {
    this.tables = b.tables;
    this.journal = tables.table("reconciliation");
    this.rules = List.copyOf(b.rules);
    this.clock = b.clock;
    this.onAlert = b.onAlert;
  }

  public static Builder builder(MessagingTables tables) {
    return new Builder(tables);
  }

  /** One run over every rule; returns what it journaled. */
  public List<ReconciliationRecord> runOnce() {
    List<ReconciliationRecord> done = new ArrayList<>();
    for (Entry<?> entry : rules) {
      done.addAll(run(entry));
    }
    return done;
  }

  private <E> List<ReconciliationRecord> run(Entry<E> entry) {
    ReconciliationRule<E> rule = entry.rule();
    List<ReconciliationRecord> done = new ArrayList<>();
    List<E> stuck;
    try {
      stuck = rule.findStuck(clock.instant().minus(entry.threshold()));
    } catch (Exception e) {
      done.add(journal(rule.name(), "*", RepairKind.FAILED, "finding stuck entities: " + e));
      return done;
    }
    for (E entity : stuck) {
      String id = rule.idOf(entity);
      Repair repair;
      try {
        repair = rule.decide(entity);
      } catch (Exception e) {
        done.add(journal(rule.name(), id, RepairKind.FAILED, "checking: " + e));
        continue;
      }
      if (repair.kind() == null) {
        continue;
      }
      if (repair.action() != null) {
        try {
          repair.action().apply();
        } catch (Exception e) {
          done.add(journal(rule.name(), id, RepairKind.FAILED, repair.detail() + " — threw: " + e));
          continue;
        }
      }
      done.add(journal(rule.name(), id, repair.kind(), repair.detail()));
    }
    return done;
  }

  private ReconciliationRecord journal(String rule, String entity, RepairKind kind, String detail) {
    String d = detail.length() > 1000 ? detail.substring(0, 1000) : detail;
    ReconciliationRecord record = new ReconciliationRecord(rule, entity, kind, d, clock.instant());
    try (Connection c = tables.connection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO "
                    + journal
                    + " (rule_name, entity, repair, detail, occurred_at) VALUES (?, ?, ?, ?, ?)")) {
      s.setString(1, rule);
      s.setString(2, entity);
      s.setString(3, kind.code());
      s.setString(4, d);
      s.setLong(5, record.at().toEpochMilli());
      s.executeUpdate();
    } catch (SQLException e) {
      // The repair happened; losing its journal line must not hide it.
      LOG.error("could not journal {} {} {}: {}", rule, entity, kind, d, e);
    }
    if (kind == RepairKind.UNFIXABLE || kind == RepairKind.FAILED) {
      LOG.warn("reconciliation {} cannot settle {}: {}", rule, entity, d);
      onAlert.accept(record);
    } else {
      LOG.info("reconciliation {} repaired {} ({}): {}", rule, entity, kind.code(), d);
    }
    return record;
  }

  /** The journal, newest first. */
  public List<ReconciliationRecord> journal(int limit) {
    List<ReconciliationRecord> rows = new ArrayList<>();
    try (Connection c = tables.connection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT rule_name, entity, repair, detail, occurred_at FROM "
                    + journal
                    + " ORDER BY seq DESC")) {
      s.setMaxRows(limit);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new ReconciliationRecord(
                  rs.getString(1),
                  rs.getString(2),
                  RepairKind.fromCode(rs.getString(3)),
                  rs.getString(4),
                  Instant.ofEpochMilli(rs.getLong(5))));
        }
      }
    } catch (SQLException e) {
      throw new MessagingException("could not read the reconciliation journal", e);
    }
    return rows;
  }

  /** Runs every {@code every} on {@code scheduler}. */
  public synchronized Reconciler start(Scheduler scheduler, Duration every) {
    if (running == null) {
      running = scheduler.scheduleRepeatedly(every, this::runOnce);
    }
    return this;
  }

  @Override
  public synchronized void close() {
    if (running != null) {
      running.cancel();
      running = null;
    }
  }

  /** Settings of a {@link Reconciler}. */
  public static final class Builder {
    private final MessagingTables tables;
    private final List<Entry<?>> rules = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Consumer<ReconciliationRecord> onAlert = r -> {};

    private Builder(MessagingTables tables) {
      this.tables = Objects.requireNonNull(tables, "tables must not be null");
    }

    /** A rule, looking at entities stuck longer than {@code threshold}. */
    public <E> Builder rule(ReconciliationRule<E> rule, Duration threshold) {
      Objects.requireNonNull(rule, "rule must not be null");
      if (threshold == null || threshold.isNegative() || threshold.isZero()) {
        throw new IllegalArgumentException(
            "threshold of rule " + rule.name() + " is " + threshold + "; it must be positive");
      }
      rules.add(new Entry<>(rule, threshold));
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /** Hears every UNFIXABLE and FAILED line; must not throw. */
    public Builder onAlert(Consumer<ReconciliationRecord> listener) {
      this.onAlert = Objects.requireNonNull(listener, "listener must not be null");
      return this;
    }

    public Reconciler build() {
      if (rules.isEmpty()) {
        throw new IllegalArgumentException("a reconciler needs at least one rule");
      }
      return new Reconciler(this);
    }
  }
}
