package dev.cohort.examples.shop.account;

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
 * The account service: balances with a frozen part. TCC: the try freezes, the confirm debits, the
 * cancel unfreezes. Saga: the step debits, the compensation refunds. Plain: debits.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ShopCommon.class)
public class AccountService {
  @Bean
  Accounts accounts(JdbcTemplate jdbc, Reservations reservations, Environment env) {
    jdbc.execute(
        "CREATE TABLE IF NOT EXISTS account (id VARCHAR(32) PRIMARY KEY, balance BIGINT NOT NULL,"
            + " frozen BIGINT NOT NULL)");
    Long n = jdbc.queryForObject("SELECT COUNT(*) FROM account", Long.class);
    if (n != null && n == 0) {
      for (int i = 0; i < Seed.ACCOUNTS; i++) {
        jdbc.update(
            "INSERT INTO account VALUES (?, ?, 0)",
            Seed.account(i),
            env.getProperty("shop.seed.balance", Long.class, Seed.BALANCE));
      }
    }
    return new Accounts(jdbc, reservations);
  }

  @Bean
  TccEndpoint<Purchase> accountTcc(Accounts a, Effects e) {
    return TccEndpoint.of(
        "account",
        Purchase.class,
        e.record("try", a::freeze),
        e.record("confirm", a::debitFrozen),
        e.record("cancel", a::unfreeze));
  }

  @Bean
  SagaEndpoint<Purchase> accountSaga(Accounts a, Effects e) {
    return SagaEndpoint.of(
        "account-pay",
        Purchase.class,
        e.record("action", (p, call) -> a.debit(p)),
        e.record("compensate", (p, call) -> a.refund(p)));
  }

  @Bean
  ServiceState accountState(JdbcTemplate jdbc, Reservations reservations) {
    return () -> {
      Map<String, Object> row =
          jdbc.queryForMap(
              "SELECT COALESCE(SUM(balance), 0) AS balance, COALESCE(SUM(frozen), 0) AS frozen,"
                  + " COUNT(*) AS accounts FROM account");
      return Map.of(
          "balance", ((Number) row.get("balance")).longValue(),
          "frozen", ((Number) row.get("frozen")).longValue(),
          "accounts", ((Number) row.get("accounts")).longValue(),
          "reservationsHeld", reservations.held());
    };
  }

  /** The business rows, with {@code JdbcTemplate} on the transaction the starter opened. */
  public static final class Accounts {
    private final JdbcTemplate jdbc;
    private final Reservations reservations;

    Accounts(JdbcTemplate jdbc, Reservations reservations) {
      this.jdbc = jdbc;
      this.reservations = reservations;
    }

    void freeze(Purchase p, BranchCall call) throws Exception {
      int n =
          jdbc.update(
              "UPDATE account SET frozen = frozen + ? WHERE id = ? AND balance - frozen >= ?",
              p.amount(),
              p.account(),
              p.amount());
      if (n == 0) {
        throw new ParticipantRefusedException("insufficient funds in account " + p.account());
      }
      reservations.hold(call.gid(), call.branchId(), Json.write(p));
    }

    void debitFrozen(Purchase p, BranchCall call) {
      jdbc.update(
          "UPDATE account SET balance = balance - ?, frozen = frozen - ? WHERE id = ?",
          p.amount(),
          p.amount(),
          p.account());
      reservations.confirm(call.gid(), call.branchId());
    }

    void unfreeze(Purchase p, BranchCall call) {
      jdbc.update("UPDATE account SET frozen = frozen - ? WHERE id = ?", p.amount(), p.account());
      reservations.cancel(call.gid(), call.branchId());
    }

    void debit(Purchase p) {
      int n =
          jdbc.update(
              "UPDATE account SET balance = balance - ? WHERE id = ? AND balance - frozen >= ?",
              p.amount(),
              p.account(),
              p.amount());
      if (n == 0) {
        throw new ParticipantRefusedException("insufficient funds in account " + p.account());
      }
    }

    void refund(Purchase p) {
      jdbc.update("UPDATE account SET balance = balance + ? WHERE id = ?", p.amount(), p.account());
    }
  }

  /** The mode without Cohort: a plain debit, nothing to undo it. */
  @RestController
  public static class Plain {
    private final Accounts accounts;
    private final Effects effects;

    Plain(Accounts accounts, Effects effects) {
      this.accounts = accounts;
      this.effects = effects;
    }

    @PostMapping("/plain/account/pay")
    @Transactional
    public Map<String, String> pay(@RequestBody Purchase p) {
      accounts.debit(p);
      effects.record(p.gid(), "pay", "action");
      return Map.of("result", "paid");
    }
  }
}
