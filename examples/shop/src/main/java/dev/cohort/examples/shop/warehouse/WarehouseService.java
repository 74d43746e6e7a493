package dev.cohort.examples.shop.warehouse;

import dev.cohort.examples.shop.common.Effects;
import dev.cohort.examples.shop.common.Json;
import dev.cohort.examples.shop.common.Purchase;
import dev.cohort.examples.shop.common.Reservations;
import dev.cohort.examples.shop.common.ServiceState;
import dev.cohort.examples.shop.common.ShopCommon;
import dev.cohort.examples.shop.common.StatusColumn;
import dev.cohort.examples.shop.common.TransitionLog;
import dev.cohort.spring.BranchCall;
import dev.cohort.spring.SagaEndpoint;
import dev.cohort.spring.TccEndpoint;
import java.util.LinkedHashMap;
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
 * The warehouse service: one outbound note per order. TCC: the try writes it UNKNOWN, the confirm
 * makes it CREATED, the cancel CANCELLED. Saga: the step writes it CREATED and is recovered forward
 * (retried until it succeeds; never compensated). Plain: writes it CREATED.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ShopCommon.class)
public class WarehouseService {
  @Bean
  Notes notes(JdbcTemplate jdbc, Reservations reservations, TransitionLog log) {
    jdbc.execute(
        "CREATE TABLE IF NOT EXISTS outbound_note (order_id VARCHAR(64) PRIMARY KEY,"
            + " item VARCHAR(32) NOT NULL, quantity INT NOT NULL, status VARCHAR(16) NOT NULL)");
    return new Notes(jdbc, reservations, log);
  }

  @Bean
  TccEndpoint<Purchase> warehouseTcc(Notes n, Effects e) {
    return TccEndpoint.of(
        "warehouse",
        Purchase.class,
        e.record("try", n::prepare),
        e.record("confirm", n::create),
        e.record("cancel", n::cancel));
  }

  @Bean
  SagaEndpoint<Purchase> warehouseSaga(Notes n, Effects e) {
    // Recovered forward: never compensated, so the compensation changes nothing and leaves no row.
    return SagaEndpoint.of(
        "warehouse-outbound",
        Purchase.class,
        e.record("action", (p, call) -> n.createNow(p)),
        (p, call) -> {});
  }

  @Bean
  ServiceState warehouseState(JdbcTemplate jdbc, Reservations reservations) {
    return () -> {
      Map<String, Object> out = new LinkedHashMap<>();
      for (NoteStatus s : NoteStatus.values()) {
        out.put(s.name(), 0L);
      }
      jdbc.query(
          "SELECT status, COUNT(*) FROM outbound_note GROUP BY status",
          rs -> {
            out.put(rs.getString(1), rs.getLong(2));
          });
      return Map.of("notes", out, "reservationsHeld", reservations.held());
    };
  }

  /** The outbound notes. */
  public static final class Notes {
    private final JdbcTemplate jdbc;
    private final Reservations reservations;
    private final StatusColumn<NoteStatus> status;

    Notes(JdbcTemplate jdbc, Reservations reservations, TransitionLog log) {
      this.jdbc = jdbc;
      this.reservations = reservations;
      this.status =
          new StatusColumn<>(jdbc, log, "outbound_note", "order_id = ?", NoteStatus.class);
    }

    void prepare(Purchase p, BranchCall call) {
      insert(p, NoteStatus.UNKNOWN);
      reservations.hold(call.gid(), call.branchId(), Json.write(p));
    }

    void create(Purchase p, BranchCall call) {
      status.move(NoteStatus.UNKNOWN, NoteStatus.CREATED, p.orderId());
      reservations.confirm(call.gid(), call.branchId());
    }

    void cancel(Purchase p, BranchCall call) {
      status.move(NoteStatus.UNKNOWN, NoteStatus.CANCELLED, p.orderId());
      reservations.cancel(call.gid(), call.branchId());
    }

    void createNow(Purchase p) {
      insert(p, NoteStatus.CREATED);
    }

    private void insert(Purchase p, NoteStatus initial) {
      jdbc.update(
          "INSERT INTO outbound_note (order_id, item, quantity, status) VALUES (?, ?, ?, ?)",
          p.orderId(),
          p.item(),
          p.quantity(),
          status.initial(initial));
    }
  }

  /** The mode without Cohort. */
  @RestController
  public static class Plain {
    private final Notes notes;
    private final Effects effects;

    Plain(Notes notes, Effects effects) {
      this.notes = notes;
      this.effects = effects;
    }

    @PostMapping("/plain/warehouse/outbound")
    @Transactional
    public Map<String, String> outbound(@RequestBody Purchase p) {
      notes.createNow(p);
      effects.record(p.gid(), "outbound", "action");
      return Map.of("result", "created");
    }
  }
}
