package dev.cohort.examples.shop.order;

import dev.cohort.examples.shop.common.Effects;
import dev.cohort.examples.shop.common.Purchase;
import dev.cohort.examples.shop.common.Reservations;
import dev.cohort.examples.shop.common.ServiceState;
import dev.cohort.examples.shop.common.ShopCommon;
import dev.cohort.examples.shop.common.TransitionLog;
import dev.cohort.spring.GlobalTransactions;
import dev.cohort.spring.SagaEndpoint;
import dev.cohort.spring.TccEndpoint;
import java.net.http.HttpClient;
import java.time.Duration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

/**
 * The order service: takes purchases ({@code POST /purchases}) and runs them in one of three modes,
 * and is a participant itself (the order row is PAYING until the purchase ends).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ShopCommon.class)
public class OrderService {
  /** How long a plain call may take before the purchase gives up on it, unless configured. */
  public static final Duration DEFAULT_PLAIN_TIMEOUT = Duration.ofSeconds(3);

  @Bean
  Orders orders(JdbcTemplate jdbc, Reservations reservations, TransitionLog log) {
    jdbc.execute(Orders.DDL);
    return new Orders(jdbc, reservations, log);
  }

  @Bean
  TccEndpoint<Purchase> orderTcc(Orders o, Effects e) {
    return TccEndpoint.of(
        "order",
        Purchase.class,
        e.record("try", o::tryCreate),
        e.record("confirm", o::confirmPaid),
        e.record("cancel", o::cancel));
  }

  @Bean
  SagaEndpoint<Purchase> orderCreate(Orders o, Effects e) {
    return SagaEndpoint.of(
        "order-create",
        Purchase.class,
        e.record("action", (p, call) -> o.create(p, "saga")),
        e.record("compensate", (p, call) -> o.cancelled(p.orderId())));
  }

  /** The saga's last step; recovered forward, so it has nothing to compensate. */
  @Bean
  SagaEndpoint<Purchase> orderPaid(Orders o, Effects e) {
    return SagaEndpoint.of(
        "order-paid",
        Purchase.class,
        e.record("action", (p, call) -> o.paid(p.orderId())),
        (p, call) -> {});
  }

  @Bean
  ServiceState orderState(Orders o) {
    return o::totals;
  }

  @Bean
  ShopUrls shopUrls(Environment env) {
    return ShopUrls.from(env);
  }

  @Bean
  Checkout checkout(GlobalTransactions transactions, ShopUrls urls) {
    return new Checkout(transactions, urls);
  }

  @Bean
  PlainCheckout plainCheckout(Orders orders, Effects effects, ShopUrls urls, Environment env) {
    Duration timeout = env.getProperty("shop.plain.timeout", Duration.class, DEFAULT_PLAIN_TIMEOUT);
    JdkClientHttpRequestFactory factory =
        new JdkClientHttpRequestFactory(
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());
    factory.setReadTimeout(timeout);
    return new PlainCheckout(
        orders, effects, urls, RestClient.builder().requestFactory(factory).build());
  }

  @Bean
  PurchaseController purchaseController(
      Checkout checkout, PlainCheckout plain, Orders orders, GlobalTransactions transactions) {
    return new PurchaseController(checkout, plain, orders, transactions);
  }
}
