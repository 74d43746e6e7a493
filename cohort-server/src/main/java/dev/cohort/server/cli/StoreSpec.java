package dev.cohort.server.cli;

import dev.cohort.jdbc.Database;
import java.util.Locale;

/**
 * The {@code --store} value: {@code sqlite:PATH}, {@code postgres:JDBC_URL}, {@code
 * mariadb:JDBC_URL}.
 */
record StoreSpec(Database database, String location) {
  static StoreSpec parse(String value) {
    int colon = value == null ? -1 : value.indexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException(
          "--store must be sqlite:PATH, postgres:JDBC_URL or mariadb:JDBC_URL, was '"
              + value
              + "'");
    }
    String kind = value.substring(0, colon).toLowerCase(Locale.ROOT);
    String rest = value.substring(colon + 1);
    return switch (kind) {
      case "sqlite" -> new StoreSpec(Database.SQLITE, rest);
      case "postgres", "postgresql" -> new StoreSpec(Database.POSTGRESQL, jdbc(rest, "postgresql"));
      case "mariadb" -> new StoreSpec(Database.MARIADB, jdbc(rest, "mariadb"));
      default ->
          throw new IllegalArgumentException(
              "--store kind '" + kind + "' is unknown; use sqlite, postgres or mariadb");
    };
  }

  private static String jdbc(String url, String driver) {
    if (!url.startsWith("jdbc:" + driver + ":")) {
      throw new IllegalArgumentException(
          "the JDBC URL must start with jdbc:"
              + driver
              + ": (e.g. jdbc:"
              + driver
              + "://host/db), was '"
              + url
              + "'");
    }
    return url;
  }

  /** For the start-up line: the URL without credentials in its query. */
  String display() {
    int q = location.indexOf('?');
    return database.name().toLowerCase(Locale.ROOT)
        + ":"
        + (q < 0 ? location : location.substring(0, q));
  }
}
