package dev.cohort.examples.shop.points;

import dev.cohort.examples.shop.common.Effects;
import dev.cohort.examples.shop.common.Json;
import dev.cohort.examples.shop.common.Purchase;
import dev.cohort.examples.shop.common.Reservations;
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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The points service: loyalty points with a pending part. TCC: the try pre-adds (pending), the
 * confirm makes them count, the cancel drops them. Saga and plain: the step adds them at once.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ShopCommon.class)
public class PointsService {
  @Bean
  Points points(JdbcTemplate jdbc, Reservations reservations) {
    jdbc.execute(
        "CREATE TABLE IF NOT EXISTS points (account VARCHAR(32) PRIMARY KEY, total BIGINT NOT NULL,"
            + " pending BIGINT NOT NULL)");
    return new Points(jdbc, reservations);
  }

  @Bean
  TccEndpoint<Purchase> pointsTcc(Points p, Effects e) {
    return TccEndpoint.of(
        "points",
        Purchase.class,
        e.record("try", p::preAdd),
        e.record("confirm", p::confirmPending),
        e.record("cancel", p::dropPending));
  }

  @Bean
  SagaEndpoint<Purchase> pointsSaga(Points p, Effects e) {
    return SagaEndpoint.of(
        "points-add",
        Purchase.class,
        e.record("action", (x, call) -> p.add(x)),
        e.record("compensate", (x, call) -> p.takeBack(x)));
  }

  @Bean
  ServiceState pointsState(JdbcTemplate jdbc, Reservations reservations) {
    return () -> {
      Map<String, Object> row =
          jdbc.queryForMap(
              "SELECT COALESCE(SUM(total), 0) AS total, COALESCE(SUM(pending), 0) AS pending FROM"
                  + " points");
      return Map.of(
          "total", ((Number) row.get("total")).longValue(),
          "pending", ((Number) row.get("pending")).longValue(),
          "reservationsHeld", reservations.held());
    };
  }

  /** The points rows; an account's row is made on its first purchase. */
  public static final class Points {
    private final JdbcTemplate jdbc;
    private final Reservations reservations;

    Points(JdbcTemplate jdbc, Reservations reservations) {
      this.jdbc = jdbc;
      this.reservations = reservations;
    }

    private void ensureRow(String account) {
      Long n =
          jdbc.queryForObject("SELECT COUNT(*) FROM points WHERE account = ?", Long.class, account);
      if (n != null && n == 0) {
        jdbc.update("INSERT INTO points VALUES (?, 0, 0)", account);
      }
    }

    void preAdd(Purchase p, BranchCall call) {
      ensureRow(p.account());
      jdbc.update(
          "UPDATE points SET pending = pending + ? WHERE account = ?", p.points(), p.account());
      reservations.hold(call.gid(), call.branchId(), Json.write(p));
    }

    void confirmPending(Purchase p, BranchCall call) {
      jdbc.update(
          "UPDATE points SET pending = pending - ?, total = total + ? WHERE account = ?",
          p.points(),
          p.points(),
          p.account());
      reservations.confirm(call.gid(), call.branchId());
    }

    void dropPending(Purchase p, BranchCall call) {
      jdbc.update(
          "UPDATE points SET pending = pending - ? WHERE account = ?", p.points(), p.account());
      reservations.cancel(call.gid(), call.branchId());
    }

    void add(Purchase p) {
      ensureRow(p.account());
      jdbc.update("UPDATE points SET total = total + ? WHERE account = ?", p.points(), p.account());
    }

    void takeBack(Purchase p) {
      jdbc.update("UPDATE points SET total = total - ? WHERE account = ?", p.points(), p.account());
    }
  }

  /** The mode without Cohort. */
  @RestController
  public static class Plain {
    private final Points points;
    private final Effects effects;

    Plain(Points points, Effects effects) {
      this.points = points;
      this.effects = effects;
    }

    @PostMapping("/plain/points/add")
    @Transactional
    public Map<String, String> add(@RequestBody Purchase p) {
      points.add(p);
      effects.record(p.gid(), "points", "action");
      return Map.of("result", "added");
    }
  }
}
