package dev.cohort.examples.shop.order;

import dev.cohort.client.Branch;
import dev.cohort.client.Transaction;
import dev.cohort.examples.shop.common.Json;
import dev.cohort.examples.shop.common.Purchase;
import dev.cohort.spring.GlobalTransaction;
import dev.cohort.spring.GlobalTransactions;
import java.net.URI;

/**
 * The purchase as a global transaction, through the starter's {@code @GlobalTransaction} (called
 * through the Spring proxy, which commits when the method returns and aborts when it throws).
 */
public class Checkout {
  private final GlobalTransactions transactions;
  private final ShopUrls urls;

  Checkout(GlobalTransactions transactions, ShopUrls urls) {
    this.transactions = transactions;
    this.urls = urls;
  }

  /**
   * TCC: every try reserves (order PAYING, money frozen, stock frozen, points pending, note
   * UNKNOWN); the confirms apply, or the cancels release.
   *
   * @return the gid
   */
  @GlobalTransaction(mode = "tcc")
  public String tcc(Purchase p) {
    Transaction tx = transactions.current();
    String json = Json.write(p);
    tx.register(tcc("order", urls.order(), "order", json));
    tx.register(tcc("pay", urls.account(), "account", json));
    tx.register(tcc("stock", urls.inventory(), "inventory", json));
    tx.register(tcc("outbound", urls.warehouse(), "warehouse", json));
    tx.register(tcc("points", urls.points(), "points", json));
    return tx.gid().value();
  }

  /**
   * Orchestrated saga: create order, pay, deduct stock, add points, then the outbound note and
   * marking the order paid, both recovered forward (retried until done, never compensated).
   *
   * @return the gid
   */
  @GlobalTransaction(mode = "saga")
  public String saga(Purchase p) {
    Transaction tx = transactions.current();
    String json = Json.write(p);
    tx.register(step("order", urls.order(), "order-create", json, false));
    tx.register(step("pay", urls.account(), "account-pay", json, false));
    tx.register(step("stock", urls.inventory(), "inventory-deduct", json, false));
    tx.register(step("points", urls.points(), "points-add", json, false));
    tx.register(step("outbound", urls.warehouse(), "warehouse-outbound", json, true));
    tx.register(step("paid", urls.order(), "order-paid", json, true));
    return tx.gid().value();
  }

  private static Branch tcc(String id, String base, String endpoint, String json) {
    URI url = ShopUrls.participant(base, endpoint);
    return Branch.tcc(id, url, url, url, json);
  }

  private static Branch step(
      String id, String base, String endpoint, String json, boolean forward) {
    URI url = ShopUrls.participant(base, endpoint);
    return Branch.saga(id, url, url, json, forward);
  }
}
