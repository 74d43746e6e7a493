package dev.cohort.spring;

import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.client.Branch;
import dev.cohort.participant.HeldBranch;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Instant;
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

  /**
   * The payments the account endpoint holds (frozen, not yet debited or unfrozen): the starter's
   * resolver asks the coordinator about those held past the threshold.
   */
  @Bean
  HeldBranchesOf heldPayments(JdbcTemplate jdbc) {
    return new HeldBranchesOf(
        "account",
        (cutoff, limit) ->
            jdbc.query(
                "SELECT gid, branch_id, payload, held_since FROM held_payment"
                    + " WHERE held_since < ? ORDER BY held_since LIMIT ?",
                (rs, i) ->
                    new HeldBranch(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getTimestamp(4).toInstant()),
                Timestamp.from(cutoff),
                limit));
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
      jdbc.update(
          "INSERT INTO held_payment (gid, branch_id, payload, held_since) VALUES (?, ?, ?, ?)",
          call.gid(),
          call.branchId(),
          "{\"account\":\"" + p.account() + "\",\"cents\":" + p.cents() + "}",
          Timestamp.from(Instant.now()));
      if (p.cents() == 13) {
        // After the update: proves that a failing handler leaves neither change nor barrier row.
        throw new IllegalStateException("unlucky amount");
      }
    }

    void debit(Payment p, BranchCall call) {
      release(call);
      jdbc.update(
          "UPDATE account SET balance = balance - ?, frozen = frozen - ? WHERE id = ?",
          p.cents(),
          p.cents(),
          p.account());
    }

    void unfreeze(Payment p, BranchCall call) {
      release(call);
      jdbc.update("UPDATE account SET frozen = frozen - ? WHERE id = ?", p.cents(), p.account());
    }

    private void release(BranchCall call) {
      jdbc.update(
          "DELETE FROM held_payment WHERE gid = ? AND branch_id = ?", call.gid(), call.branchId());
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

    /** The same purchase with the confirm sent to {@code confirmAt} (tests: where none listens). */
    @GlobalTransaction
    String buyConfirmingAt(URI participant, URI confirmAt, String payload) {
      transactions
          .current()
          .register(Branch.tcc("pay", participant, confirmAt, participant, payload));
      return transactions.current().gid().value();
    }
  }
}
