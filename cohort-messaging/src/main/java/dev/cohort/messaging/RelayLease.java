package dev.cohort.messaging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/**
 * The outbox's publishing right, a row in {@code <prefix>relay_lease}: one relay holds it and
 * renews it every round; another takes it over only once it expired (the holder died or stalled).
 * Every change is a compare-and-set on the owner and the expiry, so two relays never both hold it.
 */
final class RelayLease {
  private final MessagingTables tables;
  private final String table;
  private final String outboxName;
  private final String owner;
  private final Duration ttl;
  private final Clock clock;

  RelayLease(MessagingTables tables, String owner, Duration ttl, Clock clock) {
    this.tables = tables;
    this.table = tables.table("relay_lease");
    this.outboxName = tables.table("outbox");
    this.owner = owner;
    this.ttl = ttl;
    this.clock = clock;
  }

  String owner() {
    return owner;
  }

  /** Takes or renews the lease until now + ttl; false when another relay holds it unexpired. */
  boolean acquire() {
    long now = clock.millis();
    long until = now + ttl.toMillis();
    try (Connection c = tables.connection()) {
      try (PreparedStatement s =
          c.prepareStatement(
              "UPDATE "
                  + table
                  + " SET owner = ?, expires_at = ? WHERE outbox_name = ?"
                  + " AND (owner = ? OR expires_at <= ?)")) {
        s.setString(1, owner);
        s.setLong(2, until);
        s.setString(3, outboxName);
        s.setString(4, owner);
        s.setLong(5, now);
        if (s.executeUpdate() == 1) {
          return true;
        }
      }
      try (PreparedStatement s =
          c.prepareStatement(
              tables.insertIgnore(table, "outbox_name, owner, expires_at", 3, "outbox_name"))) {
        s.setString(1, outboxName);
        s.setString(2, owner);
        s.setLong(3, until);
        return s.executeUpdate() == 1;
      }
    } catch (SQLException e) {
      throw new MessagingException("could not take the relay lease of " + outboxName, e);
    }
  }

  /** Gives the lease up at once (a relay closing), so another relay need not wait for expiry. */
  void release() {
    try (Connection c = tables.connection();
        PreparedStatement s =
            c.prepareStatement(
                "UPDATE " + table + " SET expires_at = 0 WHERE outbox_name = ? AND owner = ?")) {
      s.setString(1, outboxName);
      s.setString(2, owner);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new MessagingException("could not release the relay lease of " + outboxName, e);
    }
  }
}
