package dev.cohort.spring;

import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.client.Branch;
import java.net.URI;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A service with an account participant (TCC: freeze, debit, unfreeze) written with {@code
 * JdbcTemplate}, an embedded coordinator, and a purchase that runs as a global transaction.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class ShopAccount {
  /** The branch payload. */
  record Payment(String account, long cents) {}

  @Bean
  Accounts accounts(JdbcTemplate jdbc) {
    return new Accounts(jdbc);
  }

  @Bean
  TccEndpoint<Payment> account(Accounts accounts) {
    return TccEndpoint.of(
        "account", Payment.class, accounts::freeze, accounts::debit, accounts::unfreeze);
  }

  /** Its confirm always refuses: a broken contract, so the transaction becomes FAILED. */
  @Bean
  TccEndpoint<Payment> broken() {
    return TccEndpoint.of(
        "broken",
        Payment.class,
        (p, call) -> {},
        (p, call) -> {
          throw new ParticipantRefusedException("this confirm never succeeds");
        },
        (p, call) -> {});
  }

  @Bean
  Purchases purchases(GlobalTransactions transactions) {
    return new Purchases(transactions);
  }

  static class Accounts {
    private final JdbcTemplate jdbc;

    Accounts(JdbcTemplate jdbc) {
      this.jdbc = jdbc;
    }

    void freeze(Payment p, BranchCall call) {
      int n =
          jdbc.update(
              "UPDATE account SET frozen = frozen + ? WHERE id = ? AND balance - frozen >= ?",
              p.cents(),
              p.account(),
              p.cents());
      if (n == 0) {
        throw new ParticipantRefusedException("insufficient funds in " + p.account());
      }
      if (p.cents() == 13) {
        // After the update: proves that a failing handler leaves neither change nor barrier row.
        throw new IllegalStateException("unlucky amount");
      }
    }

    void debit(Payment p, BranchCall call) {
      jdbc.update(
          "UPDATE account SET balance = balance - ?, frozen = frozen - ? WHERE id = ?",
          p.cents(),
          p.cents(),
          p.account());
    }

    void unfreeze(Payment p, BranchCall call) {
      jdbc.update("UPDATE account SET frozen = frozen - ? WHERE id = ?", p.cents(), p.account());
    }
  }

  static class Purchases {
    private final GlobalTransactions transactions;

    Purchases(GlobalTransactions transactions) {
      this.transactions = transactions;
    }

    @GlobalTransaction
    String buy(URI participant, String payload) {
      transactions
          .current()
          .register(Branch.tcc("pay", participant, participant, participant, payload));
      return transactions.current().gid().value();
    }
  }
}
