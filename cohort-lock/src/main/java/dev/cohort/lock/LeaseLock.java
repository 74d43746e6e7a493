package dev.cohort.lock;

import dev.cohort.jdbc.Database;
import dev.cohort.jdbc.MigrationResult;
import dev.cohort.jdbc.Schema;
import dev.cohort.jdbc.SchemaMigrator;
import dev.cohort.lock.internal.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * A lock in a database table that lapses unless renewed, with a fencing token per acquisition.
 *
 * <ul>
 *   <li>{@link #tryAcquire} takes the lock if it is free or its lease has lapsed, and returns a
 *       {@link Lease} whose fencing token is one more than the previous acquisition's;
 *   <li>{@link #renew} extends it, {@link #release} frees it; both refuse a lease that no longer
 *       owns the lock ({@link LockNotHeldException}) and then write nothing;
 *   <li>the protected writes check the token ({@link FencedTable}), so a holder that lost its lease
 *       without noticing cannot overwrite the next holder's work.
 * </ul>
 *
 * <p>Every statement, reads included, runs in a read-write transaction: on a plain data source that
 * is the database itself, on a cohort-replica {@code RoutingDataSource} it is always the primary,
 * so no decision is ever made on what a lagging replica says.
 *
 * <p>Expiry is by the {@link Clock} of the process that acquires (system UTC by default): clocks
 * skewed by more than the lease time can let two holders overlap; fencing tokens keep their writes
 * ordered even then.
 */
public final class LeaseLock {
  /** The table, made by {@link #createSchema()}. */
  public static final String TABLE = "cohort_lock";

  /** Longest lock name and owner (the columns' width). */
  public static final int MAX_NAME_LENGTH = 200;

  private final DataSource dataSource;
  private final Database database;
  private final Clock clock;

  private LeaseLock(DataSource dataSource, Database database, Clock clock) {
    this.dataSource = dataSource;
    this.database = database;
    this.clock = clock;
  }

  public static Builder builder(DataSource dataSource, Database database) {
    return new Builder(dataSource, database);
  }

  /** The lock's tables as versioned scripts ({@code /dev/cohort/lock/sql/<database>/}). */
  public static Schema schema() {
    return Schema.builder("lock", LeaseLock.class)
        .historyTable("cohort_lock_schema_version")
        .version("create_lock_table")
        .build();
  }

  /** Creates or migrates {@value #TABLE} under cohort-jdbc's migration lock. */
  public MigrationResult createSchema() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return SchemaMigrator.builder(schema()).clock(clock).build().migrate(c, database);
    }
  }

  /** Fails unless {@value #TABLE} is at the version this build needs. */
  public void verifySchema() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      SchemaMigrator.of(schema()).verify(c, database);
    }
  }

  /** The statements {@link #createSchema()} would run, for a migration tool of your own. */
  public List<String> schemaStatements() {
    return SchemaMigrator.of(schema()).exportStatements(database);
  }

  /**
   * Takes lock {@code name} for {@code owner} for {@code ttl} if nobody holds it or its lease has
   * lapsed.
   *
   * @return the lease, or empty when someone else holds it
   */
  public Optional<Lease> tryAcquire(String name, String owner, Duration ttl) throws SQLException {
    requireName("lock name", name);
    requireName("owner", owner);
    requirePositive(ttl);
    Instant now = clock.instant();
    Instant expiresAt = now.plus(ttl);
    Optional<Long> token = take(name, owner, expiresAt, now);
    if (token.isEmpty()) {
      // The first acquisition of a name creates its row (free, token 0); then try once more.
      inAutoCommit(c -> Jdbc.update(c, insertIfAbsent(), name));
      token = take(name, owner, expiresAt, now);
    }
    return token.map(t -> new Lease(name, owner, t, expiresAt));
  }

  /** The compare-and-set that takes a free or lapsed lock; its new token, or empty. */
  private Optional<Long> take(String name, String owner, Instant expiresAt, Instant now)
      throws SQLException {
    String update =
        "UPDATE "
            + TABLE
            + " SET owner = ?, token = token + 1, expires_at = ? WHERE name = ?"
            + " AND (owner IS NULL OR expires_at <= ?)";
    Object[] params = {owner, expiresAt.toEpochMilli(), name, now.toEpochMilli()};
    if (database == Database.POSTGRESQL) {
      // One statement in autocommit: the update and its new token in one round trip.
      return inAutoCommit(c -> {
        OptionalLong t = Jdbc.queryLong(c, update + " RETURNING token", params);
        return t.isPresent() ? Optional.of(t.getAsLong()) : Optional.empty();
      });
    }
    return inTransaction(c -> {
      if (Jdbc.update(c, update, params) == 0) {
        return Optional.empty();
      }
      return Optional.of(
          Jdbc.queryLong(c, "SELECT token FROM " + TABLE + " WHERE name = ?", name).orElseThrow());
    });
  }

  /**
   * Extends {@code lease} to {@code ttl} from now. A lease that lapsed is renewed too if nobody
   * took the lock since (its token is still the latest).
   *
   * @throws LockNotHeldException when the lock was released or taken by another acquisition
   */
  public Lease renew(Lease lease, Duration ttl) throws SQLException {
    Objects.requireNonNull(lease, "lease");
    requirePositive(ttl);
    Instant expiresAt = clock.instant().plus(ttl);
    int renewed =
        inAutoCommit(c ->
            Jdbc.update(
                c,
                "UPDATE "
                    + TABLE
                    + " SET expires_at = ? WHERE name = ? AND owner = ? AND token = ?",
                expiresAt.toEpochMilli(),
                lease.lock(),
                lease.owner(),
                lease.fencingToken()));
    if (renewed == 0) {
      throw new LockNotHeldException("renew", lease, holder(lease.lock()));
    }
    return new Lease(lease.lock(), lease.owner(), lease.fencingToken(), expiresAt);
  }

  /**
   * Frees the lock held by {@code lease}. The token counter stays, so the next acquisition's token
   * is still higher.
   *
   * @throws LockNotHeldException when the lease no longer owns the lock; nothing is written
   */
  public void release(Lease lease) throws SQLException {
    Objects.requireNonNull(lease, "lease");
    int released =
        inAutoCommit(c ->
            Jdbc.update(
                c,
                "UPDATE "
                    + TABLE
                    + " SET owner = NULL, expires_at = 0 WHERE name = ? AND owner = ? AND"
                    + " token = ?",
                lease.lock(),
                lease.owner(),
                lease.fencingToken()));
    if (released == 0) {
      throw new LockNotHeldException("release", lease, holder(lease.lock()));
    }
  }

  /** Who holds lock {@code name} now (a lapsed lease counts as not held), read on the primary. */
  public Optional<Lease> holder(String name) throws SQLException {
    requireName("lock name", name);
    return inTransaction(c -> holder(c, name));
  }

  private Optional<Lease> holder(Connection c, String name) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT owner, token, expires_at FROM " + TABLE + " WHERE name = ?")) {
      s.setString(1, name);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next() || rs.getString(1) == null) {
          return Optional.empty();
        }
        Instant expiresAt = Instant.ofEpochMilli(rs.getLong(3));
        if (!expiresAt.isAfter(clock.instant())) {
          return Optional.empty();
        }
        return Optional.of(new Lease(name, rs.getString(1), rs.getLong(2), expiresAt));
      }
    }
  }

  private String insertIfAbsent() {
    String values = "(name, owner, token, expires_at) VALUES (?, NULL, 0, 0)";
    return switch (database) {
      case POSTGRESQL, SQLITE ->
          "INSERT INTO " + TABLE + " " + values + " ON CONFLICT (name) DO NOTHING";
      case MARIADB ->
          "INSERT INTO " + TABLE + " " + values + " ON DUPLICATE KEY UPDATE name = name";
    };
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * One write statement in autocommit: a single round trip, and a write, so a cohort-replica
   * routing connection runs it on the primary.
   */
  private <T> T inAutoCommit(Work<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setReadOnly(false);
      return work.run(c);
    }
  }

  private <T> T inTransaction(Work<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setReadOnly(false);
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        try {
          c.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  private static void requireName(String what, String value) {
    if (value == null || value.isBlank() || value.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          what
              + " must be 1 to "
              + MAX_NAME_LENGTH
              + " characters and not blank, got '"
              + value
              + "'");
    }
  }

  private static void requirePositive(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("lease time must be at least 1 ms, got " + ttl);
    }
  }

  /** Settings of a {@link LeaseLock}. */
  public static final class Builder {
    private final DataSource dataSource;
    private final Database database;
    private Clock clock = Clock.systemUTC();

    private Builder(DataSource dataSource, Database database) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.database = Objects.requireNonNull(database, "database");
    }

    /** The clock leases expire by; tests pass a {@code MutableClock}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public LeaseLock build() {
      return new LeaseLock(dataSource, database, clock);
    }
  }
}
