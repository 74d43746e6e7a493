package dev.cohort.messaging;

import dev.cohort.jdbc.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A secondary index kept in another database than the rows it indexes (users in one database, "user
 * by phone number" in another), made consistent through the outbox rather than by two writes that a
 * crash can separate.
 *
 * <p>The owner of the rows appends {@link #change} to its outbox in the transaction that changes
 * the indexed value; the relay publishes it; the index's service applies it with {@link #applier}
 * through its inbox. Each change carries the entity's version (which must grow with every change,
 * e.g. the row's optimistic-lock version), and the index keeps, per entity, the value of the
 * highest version it has seen: a duplicate or a late, older delivery changes nothing. So the index
 * converges to the rows' committed state whatever crashes in between; it lags behind them by the
 * relay's delay, and it does not enforce uniqueness (two entities may claim one value until the
 * older claim's change arrives).
 *
 * <pre>{@code
 * GlobalIndex byPhone = GlobalIndex.of("user_by_phone");
 * // users' service, one local transaction:
 * updateUser(c, id, phone, version);
 * outbox.append(c, byPhone.change(id, version, phone));
 * // index service:
 * Inbox.builder(indexTables, "user-index").handler(byPhone.messageType(),
 *     byPhone.applier(Database.MARIADB)).build();
 * List<String> ids = byPhone.lookup(connection, "+44 20 7946 0000");
 * }</pre>
 */
public final class GlobalIndex {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  /** Longest entity id or value, in characters: the width of the index table's columns. */
  public static final int MAX_LENGTH = 255;

  private final String name;

  private GlobalIndex(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "index name '"
              + name
              + "' must be a letter or _ then up to 62 letters, digits or _ (it names the index"
              + " table, e.g. 'user_by_phone')");
    }
    this.name = name;
  }

  /** An index named {@code name}; its table in the index's database has the same name. */
  public static GlobalIndex of(String name) {
    return new GlobalIndex(name);
  }

  public String name() {
    return name;
  }

  /** The routing key its changes are published under: {@code index.<name>}. */
  public String destination() {
    return "index." + name;
  }

  /** The message type of its changes, for {@link Inbox.Builder#handler}. */
  public String messageType() {
    return "cohort.index." + name;
  }

  /**
   * The message that sets the indexed value of {@code entityId} as of {@code entityVersion}; {@code
   * value} null removes the entity from the index. Append it to the outbox in the transaction that
   * makes the change. Its id is {@code <name>:<version>:<entity>}, so one version of an entity is
   * one message.
   */
  public Message change(String entityId, long entityVersion, String value) {
    requireText("entity id", entityId);
    if (value != null) {
      requireText("value", value);
    }
    if (entityVersion < 1) {
      throw new IllegalArgumentException(
          "entity version "
              + entityVersion
              + " of '"
              + entityId
              + "' in index "
              + name
              + " must be at least 1 and grow with every change (a row version)");
    }
    String id = name + ":" + entityVersion + ":" + entityId;
    if (id.length() > Message.MAX_ID_LENGTH) {
      id = name + ":" + entityVersion + ":h" + Integer.toHexString(entityId.hashCode());
    }
    String payload = entityVersion + "\n" + (value == null ? "-" : "=" + value);
    return Message.of(id, destination(), entityId, messageType(), payload);
  }

  /**
   * Applies this index's changes to its table on the inbox's connection: keeps the change when it
   * is newer than what the table holds for the entity, else leaves the row as it is.
   */
  public InboxHandler applier(Database database) {
    String upsert =
        switch (Objects.requireNonNull(database, "database")) {
          case POSTGRESQL, SQLITE ->
              "INSERT INTO "
                  + name
                  + " (entity_id, index_value, entity_version) VALUES (?, ?, ?)"
                  + " ON CONFLICT (entity_id) DO UPDATE SET index_value = excluded.index_value,"
                  + " entity_version = excluded.entity_version"
                  + " WHERE "
                  + name
                  + ".entity_version < excluded.entity_version";
          // Assignments run left to right: index_value is decided on the old version.
          case MARIADB ->
              "INSERT INTO "
                  + name
                  + " (entity_id, index_value, entity_version) VALUES (?, ?, ?)"
                  + " ON DUPLICATE KEY UPDATE index_value = IF(entity_version <"
                  + " VALUES(entity_version), VALUES(index_value), index_value),"
                  + " entity_version = GREATEST(entity_version, VALUES(entity_version))";
        };
    return (connection, message) -> {
      Change change = parse(message);
      try (PreparedStatement s = connection.prepareStatement(upsert)) {
        s.setString(1, message.key());
        s.setString(2, change.value());
        s.setLong(3, change.version());
        s.executeUpdate();
      }
    };
  }

  /** The ids of the entities whose indexed value is {@code value}, in id order. */
  public List<String> lookup(Connection connection, String value) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT entity_id FROM " + name + " WHERE index_value = ? ORDER BY entity_id")) {
      s.setString(1, value);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  /** What the index holds for one entity: its value (null once removed) and version. */
  public record Entry(String entityId, String value, long version) {}

  public Optional<Entry> entry(Connection connection, String entityId) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT index_value, entity_version FROM " + name + " WHERE entity_id = ?")) {
      s.setString(1, entityId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? Optional.of(new Entry(entityId, rs.getString(1), rs.getLong(2)))
            : Optional.empty();
      }
    }
  }

  /**
   * The DDL of the index table (one row per entity, a plain index on the value), for the index's
   * database; run it with your migrations.
   */
  public List<String> createTable(Database database) {
    Objects.requireNonNull(database, "database");
    return List.of(
        "CREATE TABLE "
            + name
            + " (entity_id VARCHAR("
            + MAX_LENGTH
            + ") NOT NULL PRIMARY KEY, index_value VARCHAR("
            + MAX_LENGTH
            + "), entity_version BIGINT NOT NULL)",
        "CREATE INDEX " + name + "_value ON " + name + " (index_value)");
  }

  private record Change(long version, String value) {}

  private Change parse(Message message) throws UnprocessableMessageException {
    String p = message.payload();
    int newline = p.indexOf('\n');
    if (newline > 0 && newline + 1 < p.length()) {
      char kind = p.charAt(newline + 1);
      try {
        long version = Long.parseLong(p.substring(0, newline));
        if (kind == '-' && newline + 2 == p.length()) {
          return new Change(version, null);
        }
        if (kind == '=') {
          return new Change(version, p.substring(newline + 2));
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new UnprocessableMessageException(
        "message "
            + message.id()
            + " is not a change of index "
            + name
            + " (expected '<version>\\n=<value>' or '<version>\\n-', got '"
            + (p.length() > 40 ? p.substring(0, 40) + "..." : p)
            + "')");
  }

  private void requireText(String what, String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          what + " '" + value + "' for index " + name + " must be 1-" + MAX_LENGTH + " characters");
    }
  }
}
