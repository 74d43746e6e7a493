package dev.cohort.examples.shop;

import dev.cohort.testsupport.ServiceSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;

/** The shop on the PostgreSQL primary of {@code scripts/services up}: a schema per service. */
class ShopOnPostgresIT extends ShopContract {
  private final ServiceSettings settings = ServiceSettings.load();

  @Override
  Map<ShopService, String> freshDatabases() throws Exception {
    String url = settings.get("COHORT_PG_PRIMARY_URL").orElseThrow(ShopOnPostgresIT::notUp);
    Map<ShopService, String> urls = new EnumMap<>(ShopService.class);
    try (Connection c = DriverManager.getConnection(url, user(), password());
        Statement s = c.createStatement()) {
      for (ShopService service : ShopService.values()) {
        String schema = "shop_" + service.code();
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        s.execute("CREATE SCHEMA " + schema);
        urls.put(service, url + "?currentSchema=" + schema);
      }
    }
    return urls;
  }

  @Override
  String user() {
    return settings.get("COHORT_PG_USER").orElseThrow(ShopOnPostgresIT::notUp);
  }

  @Override
  String password() {
    return settings.get("COHORT_PG_PASSWORD").orElse("");
  }

  static IllegalStateException notUp() {
    return new IllegalStateException("PostgreSQL is not configured: run scripts/services up");
  }
}
