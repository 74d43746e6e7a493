package dev.cohort.messaging;

import dev.cohort.jdbc.Database;
import dev.cohort.jdbc.MigrationResult;
import dev.cohort.jdbc.Schema;
import dev.cohort.jdbc.SchemaMigrator;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messaging tables in the service's own database: {@code <prefix>outbox}, {@code
 * <prefix>inbox}, {@code <prefix>saga}, {@code <prefix>saga_event}, {@code <prefix>reconciliation},
 * versioned by cohort-jdbc with their history in {@code <prefix>messaging_version}. The outbox,
 * inbox, tracker and reconciliation journal all work on one instance of this.
 */
public final class MessagingTables {
  public static final String DEFAULT_PREFIX = "cohort_";

  private static final Logger LOG = LoggerFactory.getLogger(MessagingTables.class);
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,30}");

  private final DataSource dataSource;
  private final Database database;
  private final String prefix;

  private MessagingTables(DataSource dataSource, Database database, String prefix) {
    this.dataSource = dataSource;
    this.database = database;
    this.prefix = prefix;
  }

  /** The tables with the default prefix, the database detected from a connection. */
  public static MessagingTables of(DataSource dataSource) {
    return of(dataSource, DEFAULT_PREFIX);
  }

  /** The tables named {@code <prefix>outbox} etc., the database detected from a connection. */
  public static MessagingTables of(DataSource dataSource, String prefix) {
    Objects.requireNonNull(dataSource, "dataSource must not be null; pass the service's own");
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "table prefix '"
              + prefix
              + "' must match "
              + PREFIX.pattern()
              + ", e.g. 'cohort_' or 'orders_'");
    }
    try (Connection c = dataSource.getConnection()) {
      return new MessagingTables(dataSource, Database.of(c), prefix);
    } catch (SQLException e) {
      throw new MessagingException("could not detect the database from a connection", e);
    }
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public Database database() {
    return database;
  }

  /** The full name of one table, e.g. {@code table("outbox")} is {@code cohort_outbox}. */
  public String table(String name) {
    return prefix + name;
  }

  /** The versioned schema, for exporting its DDL to a migration tool of your own. */
  public Schema schema() {
    return Schema.builder("messaging", MessagingTables.class)
        .historyTable(prefix + "messaging_version")
        .version("create_messaging_tables")
        .version("dead_letter_actions")
        .version("relay_lease")
        .version("outbox_unsent_index")
        .placeholder("prefix", prefix)
        .build();
  }

  /** Creates or migrates the tables under cohort-jdbc's database lock; safe on every start. */
  public MessagingTables migrate() {
    try (Connection c = dataSource.getConnection()) {
      MigrationResult r = SchemaMigrator.of(schema()).migrate(c, database);
      if (r.changed()) {
        LOG.info(
            "messaging tables {}* on {}: schema version {} -> {}",
            prefix,
            database,
            r.fromVersion(),
            r.toVersion());
      }
      return this;
    } catch (SQLException e) {
      throw new MessagingException("could not create the messaging tables on " + database, e);
    }
  }

  /** Checks, changing nothing, that the tables are at the current version. */
  public void verify() {
    try (Connection c = dataSource.getConnection()) {
      SchemaMigrator.of(schema()).verify(c, database);
    } catch (SQLException e) {
      throw new MessagingException("could not read the messaging schema version", e);
    }
  }

  /** Every statement of every version, history included, for your own migration tool. */
  public List<String> schemaStatements() {
    return SchemaMigrator.of(schema()).exportStatements(database);
  }

  /** "INSERT … unless the key exists" in this database's dialect; the update count says which. */
  String insertIgnore(String table, String columns, int values, String key) {
    String marks = "?" + ", ?".repeat(values - 1);
    String body = " INTO " + table + " (" + columns + ") VALUES (" + marks + ")";
    return switch (database) {
      case POSTGRESQL -> "INSERT" + body + " ON CONFLICT (" + key + ") DO NOTHING";
      case MARIADB -> "INSERT IGNORE" + body;
      case SQLITE -> "INSERT OR IGNORE" + body;
    };
  }

  /** A locking read on MariaDB, where a plain read in REPEATABLE READ may miss a fresh commit. */
  String current(String select) {
    return database == Database.MARIADB ? select + " LOCK IN SHARE MODE" : select;
  }

  Connection connection() throws SQLException {
    return dataSource.getConnection();
  }
}
