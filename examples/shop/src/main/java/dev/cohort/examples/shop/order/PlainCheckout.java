package dev.cohort.examples.shop.order;

import dev.cohort.examples.shop.common.Effects;
import dev.cohort.examples.shop.common.Purchase;
import org.springframework.web.client.RestClient;

/**
 * The purchase without Cohort, as the seeds' first example: the order is written PAYING, then plain
 * HTTP calls one after the other, then PAID. When a call fails the order is CANCELLED and nothing
 * that already happened is undone: money, stock and points can end up out of step with the orders,
 * which is what the invariants then show.
 */
final class PlainCheckout {
  private final Orders orders;
  private final Effects effects;
  private final ShopUrls urls;
  private final RestClient http;

  PlainCheckout(Orders orders, Effects effects, ShopUrls urls, RestClient http) {
    this.orders = orders;
    this.effects = effects;
    this.urls = urls;
    this.http = http;
  }

  /** Runs the calls; throws the first failure after marking the order cancelled. */
  void purchase(Purchase p) {
    orders.create(p, "plain");
    try {
      call(urls.account() + "/plain/account/pay", p);
      call(urls.inventory() + "/plain/inventory/deduct", p);
      call(urls.points() + "/plain/points/add", p);
      call(urls.warehouse() + "/plain/warehouse/outbound", p);
    } catch (RuntimeException e) {
      orders.cancelled(p.orderId());
      throw e;
    }
    orders.paid(p.orderId());
    effects.record(p.gid(), "paid", "action");
  }

  private void call(String url, Purchase p) {
    http.post().uri(url).body(p).retrieve().toBodilessEntity();
  }
}
