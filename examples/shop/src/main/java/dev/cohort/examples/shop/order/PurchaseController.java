package dev.cohort.examples.shop.order;

import dev.cohort.api.Gid;
import dev.cohort.api.InvalidInputException;
import dev.cohort.client.TransactionRolledBackException;
import dev.cohort.examples.shop.common.Purchase;
import dev.cohort.examples.shop.common.Seed;
import dev.cohort.spring.GlobalTransactions;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /purchases}: one purchase in the mode asked for; {@code GET /orders/{id}}. */
@RestController
public class PurchaseController {
  private static final Logger LOG = LoggerFactory.getLogger(PurchaseController.class);

  private final Checkout checkout;
  private final PlainCheckout plain;
  private final Orders orders;
  private final GlobalTransactions transactions;

  PurchaseController(
      Checkout checkout, PlainCheckout plain, Orders orders, GlobalTransactions transactions) {
    this.checkout = checkout;
    this.plain = plain;
    this.orders = orders;
    this.transactions = transactions;
  }

  /**
   * The body of {@code POST /purchases}. {@code gid} is optional: a Cohort mode begins its global
   * transaction under it (a caller that follows its purchases, such as the chaos checker, knows the
   * gid even when the answer is lost); the mode without Cohort records its calls under it.
   */
  public record PurchaseRequest(
      String mode, String account, String item, Integer quantity, String gid) {}

  /**
   * What happened. {@code outcome}: {@code committed}, {@code rolled_back} (refused or compensated:
   * nothing kept), {@code failed} (the call broke off; the coordinator, or nobody in the plain
   * mode, finishes it). {@code orderStatus} is the order's status when the answer was sent.
   */
  public record PurchaseResult(
      String orderId, String mode, String gid, String outcome, String reason, String orderStatus) {}

  @PostMapping("/purchases")
  public PurchaseResult purchase(@RequestBody PurchaseRequest request) {
    String mode = request.mode() == null ? "tcc" : request.mode().toLowerCase(Locale.ROOT);
    if (request.account() == null) {
      throw new IllegalArgumentException("give an account, e.g. {\"account\":\"a01\"}");
    }
    Seed.Item item = Seed.item(request.item() == null ? "book" : request.item());
    int quantity = request.quantity() == null ? 1 : request.quantity();
    if (quantity < 1) {
      throw new IllegalArgumentException("quantity must be at least 1, got " + quantity);
    }
    Purchase p =
        new Purchase(
            UUID.randomUUID().toString(),
            request.account(),
            item.id(),
            quantity,
            item.price() * quantity,
            item.points() * quantity,
            request.gid());
    Gid chosen = request.gid() == null ? null : gid(request.gid());
    String gid = request.gid();
    String outcome;
    String reason = null;
    try {
      switch (mode) {
        case "tcc", "saga" -> gid = coordinated(mode, p, chosen);
        case "plain" -> plain.purchase(p);
        default ->
            throw new IllegalArgumentException(
                "unknown mode '" + mode + "'; use tcc, saga or plain");
      }
      outcome = "committed";
    } catch (TransactionRolledBackException e) {
      gid = e.outcome().gid().value();
      outcome = "rolled_back";
      reason = e.outcome().reason();
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.debug("purchase {} ({}) broke off", p.orderId(), mode, e);
      outcome = "failed";
      reason = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    OrderStatus status = orders.status(p.orderId());
    return new PurchaseResult(
        p.orderId(), mode, gid, outcome, reason, status == null ? null : status.name());
  }

  private static Gid gid(String value) {
    try {
      return Gid.of(value);
    } catch (InvalidInputException e) {
      throw new IllegalArgumentException("gid: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("try") // the binding is opened for its effect on this thread
  private String coordinated(String mode, Purchase p, Gid chosen) {
    if (chosen == null) {
      return mode.equals("tcc") ? checkout.tcc(p) : checkout.saga(p);
    }
    try (GlobalTransactions.Binding b = transactions.beginAs(chosen)) {
      return mode.equals("tcc") ? checkout.tcc(p) : checkout.saga(p);
    }
  }

  @GetMapping("/orders/{id}")
  public ResponseEntity<Map<String, String>> order(@PathVariable("id") String id) {
    OrderStatus status = orders.status(id);
    return status == null
        ? ResponseEntity.notFound().build()
        : ResponseEntity.ok(Map.of("orderId", id, "status", status.name()));
  }

  @ExceptionHandler(IllegalArgumentException.class)
  public ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
    return ResponseEntity.badRequest()
        .body(Map.of("error", "bad_request", "message", String.valueOf(e.getMessage())));
  }
}
