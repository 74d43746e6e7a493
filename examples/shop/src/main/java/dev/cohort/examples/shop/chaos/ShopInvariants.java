package dev.cohort.examples.shop.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.chaos.Effect;
import dev.cohort.chaos.Invariant;
import dev.cohort.chaos.Invariants;
import dev.cohort.chaos.Purchase;
import dev.cohort.chaos.RunRecord;
import dev.cohort.chaos.Totals;
import dev.cohort.chaos.Violation;
import dev.cohort.examples.shop.ShopService;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shop's own invariants, from every service's {@code GET /admin/state} (amounts in cents) and
 * the effect ledger. The totals are read before and after the run, so a run may start on a shop
 * that has sold before.
 */
final class ShopInvariants {
  /** The name of {@link AllOrNothing}. */
  static final String ALL_OR_NOTHING = "purchase-all-or-nothing";

  /** The participant branches every mode runs, as the ledger names them. */
  static final List<String> PARTS = List.of("pay", "stock", "points", "outbound");

  private ShopInvariants() {}

  static List<Invariant> all(ShopChaos shop) {
    return List.of(
        Invariants.conserved(
            "money-conserved",
            totals(
                shop,
                s ->
                    Map.of(
                        "account balance + paid orders' amount",
                        s.get(ShopService.ACCOUNT).path("balance").asLong()
                            + s.get(ShopService.ORDER).path("paidAmount").asLong()))),
        Invariants.conserved(
            "stock-conserved",
            totals(
                shop,
                s -> {
                  JsonNode i = s.get(ShopService.INVENTORY);
                  return Map.of(
                      "available + frozen + shipped",
                      i.path("available").asLong()
                          + i.path("frozen").asLong()
                          + i.path("shipped").asLong());
                })),
        Invariants.conserved(
            "shipped-as-paid",
            totals(
                shop,
                s ->
                    Map.of(
                        "shipped - paid orders' quantity",
                        s.get(ShopService.INVENTORY).path("shipped").asLong()
                            - s.get(ShopService.ORDER).path("paidQuantity").asLong()))),
        Invariants.conserved(
            "points-as-paid",
            totals(
                shop,
                s ->
                    Map.of(
                        "points - paid orders' points",
                        s.get(ShopService.POINTS).path("total").asLong()
                            - s.get(ShopService.ORDER).path("paidPoints").asLong()))),
        Invariants.conserved(
            "notes-as-paid",
            totals(
                shop,
                s ->
                    Map.of(
                        "CREATED notes - PAID orders",
                        s.get(ShopService.WAREHOUSE).path("notes").path("CREATED").asLong()
                            - s.get(ShopService.ORDER).path("orders").path("PAID").asLong()))),
        Invariants.allZero(
            "nothing-left-pending",
            totals(
                shop,
                s -> {
                  Map<String, Long> t = new LinkedHashMap<>();
                  t.put("account.frozen", s.get(ShopService.ACCOUNT).path("frozen").asLong());
                  t.put("inventory.frozen", s.get(ShopService.INVENTORY).path("frozen").asLong());
                  t.put("points.pending", s.get(ShopService.POINTS).path("pending").asLong());
                  t.put(
                      "warehouse.notes.UNKNOWN",
                      s.get(ShopService.WAREHOUSE).path("notes").path("UNKNOWN").asLong());
                  t.put(
                      "order.orders.PAYING",
                      s.get(ShopService.ORDER).path("orders").path("PAYING").asLong());
                  for (ShopService service : ShopService.values()) {
                    t.put(
                        service.code() + ".reservationsHeld",
                        s.get(service).path("reservationsHeld").asLong());
                  }
                  return t;
                })),
        new AllOrNothing(shop));
  }

  private interface FromState {
    Map<String, Long> totals(Map<ShopService, JsonNode> state);
  }

  private static Totals totals(ShopChaos shop, FromState from) {
    return () -> {
      Map<ShopService, JsonNode> state = new EnumMap<>(ShopService.class);
      for (ShopService s : ShopService.values()) {
        state.put(s, shop.state(s));
      }
      return from.totals(state);
    };
  }

  /**
   * Per purchase, from the ledger: once it ended, the order was paid at most once, and money,
   * stock, points and the outbound note were each taken exactly as many times as the order was paid
   * (once or not at all); a committed Cohort purchase paid, a rolled-back one did not. Unlike the
   * totals this names the gid, and it judges the mode without Cohort too.
   */
  static final class AllOrNothing implements Invariant {
    private final ShopChaos shop;

    AllOrNothing(ShopChaos shop) {
      this.shop = shop;
    }

    @Override
    public String name() {
      return ALL_OR_NOTHING;
    }

    @Override
    public List<Violation> check(RunRecord run) throws Exception {
      Map<String, List<Effect>> byGid = new HashMap<>();
      for (Effect e : shop.effects()) {
        byGid.computeIfAbsent(e.gid(), g -> new ArrayList<>()).add(e);
      }
      List<Violation> found = new ArrayList<>();
      for (Purchase p : run.purchases()) {
        String ended = p.coordinated() ? p.finalStatus() : "answered " + p.answer().code();
        if (p.coordinated()
            && !"committed".equals(p.finalStatus())
            && !"rolled_back".equals(p.finalStatus())) {
          continue; // under way or resolved by hand: every-transaction-terminal reports it
        }
        Map<String, Integer> net = net(p.mode(), byGid.getOrDefault(p.gid(), List.of()));
        int paid = net.getOrDefault("paid", 0);
        boolean whole = paid == 0 || paid == 1;
        for (String part : PARTS) {
          whole &= net.getOrDefault(part, 0) == paid;
        }
        if (p.coordinated()) {
          whole &= paid == ("committed".equals(p.finalStatus()) ? 1 : 0);
        }
        if (!whole) {
          StringBuilder what =
              new StringBuilder(p.mode() + " purchase " + ended + ": order paid " + paid + "x");
          for (String part : PARTS) {
            what.append(", ")
                .append(part)
                .append(' ')
                .append(net.getOrDefault(part, 0))
                .append('x');
          }
          found.add(new Violation(name(), p.gid(), what.toString()));
        }
      }
      return found;
    }

    /**
     * What stayed applied per branch: a confirm or an action counts one, a compensation takes one
     * back; tries and cancels move nothing for good. The order's TCC confirm and the {@code paid}
     * branch (saga step, plain call) are the order being paid.
     */
    static Map<String, Integer> net(String mode, List<Effect> effects) {
      Map<String, Integer> net = new HashMap<>();
      for (Effect e : effects) {
        int sign =
            switch (e.op()) {
              case "confirm", "action" -> 1;
              case "compensate" -> -1;
              default -> 0;
            };
        String branch = e.branchId();
        if (branch.equals("order")) {
          if (!mode.equals("tcc")) {
            continue; // the saga's order-create: writing the order is not paying it
          }
          branch = "paid";
        }
        net.merge(branch, sign, Integer::sum);
      }
      return net;
    }
  }
}
