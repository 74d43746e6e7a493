package dev.cohort.examples.shop.inventory;

import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.examples.shop.common.Effects;
import dev.cohort.examples.shop.common.Json;
import dev.cohort.examples.shop.common.Purchase;
import dev.cohort.examples.shop.common.Reservations;
import dev.cohort.examples.shop.common.Seed;
import dev.cohort.examples.shop.common.ServiceState;
import dev.cohort.examples.shop.common.ShopCommon;
import dev.cohort.spring.BranchCall;
import dev.cohort.spring.SagaEndpoint;
import dev.cohort.spring.TccEndpoint;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The inventory service: stock available, frozen and shipped. TCC: the try freezes, the confirm
 * ships the frozen stock, the cancel releases it. Saga and plain: the step ships at once.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ShopCommon.class)
public class InventoryService {
  @Bean
  Stock stock(JdbcTemplate jdbc, Reservations reservations, Environment env) {
    jdbc.execute(
        "CREATE TABLE IF NOT EXISTS stock (item VARCHAR(32) PRIMARY KEY, available BIGINT NOT NULL,"
            + " frozen BIGINT NOT NULL, shipped BIGINT NOT NULL)");
    Long n = jdbc.queryForObject("SELECT COUNT(*) FROM stock", Long.class);
    if (n != null && n == 0) {
      for (Seed.Item item : Seed.CATALOG) {
        jdbc.update(
            "INSERT INTO stock VALUES (?, ?, 0, 0)",
            item.id(),
            env.getProperty("shop.seed.stock", Long.class, Seed.STOCK));
      }
    }
    return new Stock(jdbc, reservations);
  }

  @Bean
  TccEndpoint<Purchase> inventoryTcc(Stock s, Effects e) {
    return TccEndpoint.of(
        "inventory",
        Purchase.class,
        e.record("try", s::freeze),
        e.record("confirm", s::shipFrozen),
        e.record("cancel", s::release));
  }

  @Bean
  SagaEndpoint<Purchase> inventorySaga(Stock s, Effects e) {
    return SagaEndpoint.of(
        "inventory-deduct",
        Purchase.class,
        e.record("action", (p, call) -> s.ship(p)),
        e.record("compensate", (p, call) -> s.restock(p)));
  }

  @Bean
  ServiceState inventoryState(JdbcTemplate jdbc, Reservations reservations) {
    return () -> {
      Map<String, Object> row =
          jdbc.queryForMap(
              "SELECT COALESCE(SUM(available), 0) AS available, COALESCE(SUM(frozen), 0) AS"
                  + " frozen, COALESCE(SUM(shipped), 0) AS shipped FROM stock");
      return Map.of(
          "available", ((Number) row.get("available")).longValue(),
          "frozen", ((Number) row.get("frozen")).longValue(),
          "shipped", ((Number) row.get("shipped")).longValue(),
          "reservationsHeld", reservations.held());
    };
  }

  /** The stock rows. */
  public static final class Stock {
    private final JdbcTemplate jdbc;
    private final Reservations reservations;

    Stock(JdbcTemplate jdbc, Reservations reservations) {
      this.jdbc = jdbc;
      this.reservations = reservations;
    }

    void freeze(Purchase p, BranchCall call) {
      int n =
          jdbc.update(
              "UPDATE stock SET available = available - ?, frozen = frozen + ? WHERE item = ? AND"
                  + " available >= ?",
              p.quantity(),
              p.quantity(),
              p.item(),
              p.quantity());
      if (n == 0) {
        throw new ParticipantRefusedException("out of stock: " + p.item());
      }
      reservations.hold(call.gid(), call.branchId(), Json.write(p));
    }

    void shipFrozen(Purchase p, BranchCall call) {
      jdbc.update(
          "UPDATE stock SET frozen = frozen - ?, shipped = shipped + ? WHERE item = ?",
          p.quantity(),
          p.quantity(),
          p.item());
      reservations.confirm(call.gid(), call.branchId());
    }

    void release(Purchase p, BranchCall call) {
      jdbc.update(
          "UPDATE stock SET frozen = frozen - ?, available = available + ? WHERE item = ?",
          p.quantity(),
          p.quantity(),
          p.item());
      reservations.cancel(call.gid(), call.branchId());
    }

    void ship(Purchase p) {
      int n =
          jdbc.update(
              "UPDATE stock SET available = available - ?, shipped = shipped + ? WHERE item = ? AND"
                  + " available >= ?",
              p.quantity(),
              p.quantity(),
              p.item(),
              p.quantity());
      if (n == 0) {
        throw new ParticipantRefusedException("out of stock: " + p.item());
      }
    }

    void restock(Purchase p) {
      jdbc.update(
          "UPDATE stock SET available = available + ?, shipped = shipped - ? WHERE item = ?",
          p.quantity(),
          p.quantity(),
          p.item());
    }
  }

  /** The mode without Cohort. */
  @RestController
  public static class Plain {
    private final Stock stock;
    private final Effects effects;

    Plain(Stock stock, Effects effects) {
      this.stock = stock;
      this.effects = effects;
    }

    @PostMapping("/plain/inventory/deduct")
    @Transactional
    public Map<String, String> deduct(@RequestBody Purchase p) {
      stock.ship(p);
      effects.record(p.gid(), "stock", "action");
      return Map.of("result", "deducted");
    }
  }
}
