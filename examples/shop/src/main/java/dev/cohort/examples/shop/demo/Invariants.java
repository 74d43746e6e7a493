package dev.cohort.examples.shop.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.examples.shop.ShopService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shop's invariants, checked from two {@code /admin/state} snapshots of all five services
 * (before and after a batch of purchases, once nothing is in flight): whatever the orders say was
 * paid is exactly what left the accounts, the stock and became points and outbound notes, and
 * nothing is left frozen, pending, UNKNOWN or PAYING.
 */
public final class Invariants {
  private Invariants() {}

  /** One invariant: its name, and whether it held with the figures that show it. */
  public record Check(String name, boolean holds, String figures) {}

  public static List<Check> check(
      Map<ShopService, JsonNode> before, Map<ShopService, JsonNode> after) {
    JsonNode o0 = before.get(ShopService.ORDER);
    JsonNode o1 = after.get(ShopService.ORDER);
    JsonNode a0 = before.get(ShopService.ACCOUNT);
    JsonNode a1 = after.get(ShopService.ACCOUNT);
    JsonNode i0 = before.get(ShopService.INVENTORY);
    JsonNode i1 = after.get(ShopService.INVENTORY);
    JsonNode p0 = before.get(ShopService.POINTS);
    JsonNode p1 = after.get(ShopService.POINTS);
    JsonNode w0 = before.get(ShopService.WAREHOUSE);
    JsonNode w1 = after.get(ShopService.WAREHOUSE);

    long paidAmount = d(o0, o1, "paidAmount");
    long paidQuantity = d(o0, o1, "paidQuantity");
    long paidPoints = d(o0, o1, "paidPoints");
    long paidOrders =
        o1.path("orders").path("PAID").asLong() - o0.path("orders").path("PAID").asLong();
    long spent = -d(a0, a1, "balance");
    long shipped = d(i0, i1, "shipped");
    long stockTotal =
        i1.path("available").asLong() + i1.path("frozen").asLong() + i1.path("shipped").asLong();
    long stockTotal0 =
        i0.path("available").asLong() + i0.path("frozen").asLong() + i0.path("shipped").asLong();
    long points = d(p0, p1, "total");
    long created =
        w1.path("notes").path("CREATED").asLong() - w0.path("notes").path("CREATED").asLong();

    List<Check> checks = new ArrayList<>();
    checks.add(
        new Check(
            "money: what left the accounts = what paid orders cost",
            spent == paidAmount,
            "debited " + money(spent) + ", paid orders " + money(paidAmount)));
    checks.add(
        new Check(
            "stock: available + frozen + shipped conserved",
            stockTotal == stockTotal0,
            stockTotal0 + " before, " + stockTotal + " after"));
    checks.add(
        new Check(
            "stock: shipped = quantity of paid orders",
            shipped == paidQuantity,
            "shipped " + shipped + ", paid " + paidQuantity));
    checks.add(
        new Check(
            "points: added = points of paid orders",
            points == paidPoints,
            "added " + points + ", paid orders earn " + paidPoints));
    checks.add(
        new Check(
            "warehouse: one CREATED note per paid order",
            created == paidOrders,
            "created " + created + ", paid orders " + paidOrders));
    long held = 0;
    for (JsonNode s : after.values()) {
      held += s.path("reservationsHeld").asLong();
    }
    long leftOver =
        a1.path("frozen").asLong()
            + i1.path("frozen").asLong()
            + p1.path("pending").asLong()
            + w1.path("notes").path("UNKNOWN").asLong()
            + o1.path("orders").path("PAYING").asLong()
            + held;
    checks.add(
        new Check(
            "nothing left frozen, pending, UNKNOWN, PAYING or held",
            leftOver == 0,
            "frozen money "
                + money(a1.path("frozen").asLong())
                + ", frozen stock "
                + i1.path("frozen").asLong()
                + ", pending points "
                + p1.path("pending").asLong()
                + ", UNKNOWN notes "
                + w1.path("notes").path("UNKNOWN").asLong()
                + ", PAYING orders "
                + o1.path("orders").path("PAYING").asLong()
                + ", reservations held "
                + held));
    return checks;
  }

  /** Whether nothing is in flight any more: no order PAYING and no reservation held. */
  public static boolean quiet(Map<ShopService, JsonNode> state) {
    long busy = state.get(ShopService.ORDER).path("orders").path("PAYING").asLong();
    for (JsonNode s : state.values()) {
      busy += s.path("reservationsHeld").asLong();
    }
    return busy == 0;
  }

  private static long d(JsonNode before, JsonNode after, String field) {
    return after.path(field).asLong() - before.path(field).asLong();
  }

  static String money(long cents) {
    return String.format(java.util.Locale.ROOT, "%d.%02d", cents / 100, Math.abs(cents % 100));
  }
}
