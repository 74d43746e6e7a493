package dev.cohort.examples.shop;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to start shop services: the coordinator they use, the key its calls are signed with, each
 * service's database and port, and extra Spring properties.
 *
 * @param coordinatorUrl the coordinator server, e.g. {@code http://127.0.0.1:7070}
 * @param coordinatorToken its API token (the order service begins transactions with it)
 * @param signingKey the HMAC key the coordinator signs participant calls with (32+ characters)
 * @param databases each service's JDBC URL
 * @param dbUser user for the databases (null for SQLite)
 * @param dbPassword password for the databases
 * @param crashStops whether the {@code crash} fault stops only the service (services sharing a JVM)
 *     instead of halting the process
 * @param extra more Spring properties for every service
 */
public record ShopSettings(
    String coordinatorUrl,
    String coordinatorToken,
    String signingKey,
    Map<ShopService, String> databases,
    String dbUser,
    String dbPassword,
    boolean crashStops,
    Map<String, String> extra) {
  public ShopSettings {
    Objects.requireNonNull(coordinatorUrl, "coordinatorUrl");
    if (signingKey == null || signingKey.length() < 32) {
      throw new IllegalArgumentException(
          "the signing key must have at least 32 characters (the coordinator's HMAC key)");
    }
    databases = Map.copyOf(databases);
    extra = Map.copyOf(extra);
  }

  /** One SQLite file per service in {@code dir}: {@code order.db}, {@code account.db}, ... */
  public static Map<ShopService, String> sqliteFiles(Path dir) {
    Map<ShopService, String> urls = new EnumMap<>(ShopService.class);
    for (ShopService s : ShopService.values()) {
      urls.put(
          s,
          "jdbc:sqlite:"
              + dir.resolve(s.code() + ".db").toAbsolutePath()
              + "?journal_mode=WAL&busy_timeout=10000");
    }
    return urls;
  }

  public ShopSettings withExtra(Map<String, String> more) {
    Map<String, String> all = new HashMap<>(extra);
    all.putAll(more);
    return new ShopSettings(
        coordinatorUrl,
        coordinatorToken,
        signingKey,
        databases,
        dbUser,
        dbPassword,
        crashStops,
        all);
  }
}
