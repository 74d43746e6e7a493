package dev.cohort.examples.shop.order;

import java.net.URI;
import org.springframework.core.env.Environment;

/** Where the order service finds the others: {@code shop.urls.<service>}. */
record ShopUrls(String order, String account, String inventory, String points, String warehouse) {
  static ShopUrls from(Environment env) {
    return new ShopUrls(
        required(env, "order"),
        required(env, "account"),
        required(env, "inventory"),
        required(env, "points"),
        required(env, "warehouse"));
  }

  private static String required(Environment env, String service) {
    String url = env.getProperty("shop.urls." + service);
    if (url == null || url.isBlank()) {
      throw new IllegalStateException(
          "the order service needs shop.urls."
              + service
              + " (e.g. http://127.0.0.1:8082); ShopMain sets it for the services it starts");
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** A participant endpoint of the starter on {@code base}. */
  static URI participant(String base, String endpoint) {
    return URI.create(base + "/cohort/participants/" + endpoint);
  }
}
