package dev.cohort.examples.shop;

import dev.cohort.testsupport.ServiceSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;

/** The shop on the MariaDB primary of {@code scripts/services up}: a database per service. */
class ShopOnMariaDbIT extends ShopContract {
  private final ServiceSettings settings = ServiceSettings.load();

  @Override
  Map<ShopService, String> freshDatabases() throws Exception {
    String url = settings.get("COHORT_MARIADB_PRIMARY_URL").orElseThrow(ShopOnMariaDbIT::notUp);
    String server = url.substring(0, url.lastIndexOf('/'));
    Map<ShopService, String> urls = new EnumMap<>(ShopService.class);
    try (Connection c = DriverManager.getConnection(url, user(), password());
        Statement s = c.createStatement()) {
      for (ShopService service : ShopService.values()) {
        String database = "shop_" + service.code();
        s.execute("DROP DATABASE IF EXISTS " + database);
        s.execute("CREATE DATABASE " + database);
        urls.put(service, server + "/" + database);
      }
    }
    return urls;
  }

  @Override
  String user() {
    return settings.get("COHORT_MARIADB_USER").orElseThrow(ShopOnMariaDbIT::notUp);
  }

  @Override
  String password() {
    return settings.get("COHORT_MARIADB_PASSWORD").orElse("");
  }

  static IllegalStateException notUp() {
    return new IllegalStateException("MariaDB is not configured: run scripts/services up");
  }
}
