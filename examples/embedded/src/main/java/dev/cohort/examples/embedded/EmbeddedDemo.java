package dev.cohort.examples.embedded;

import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Outcome;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.TransactionView;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code ./cohort demo}: three purchases through an embedded coordinator, then the invariants a
 * shop cares about, checked against the data.
 *
 * <p>Usage: {@code EmbeddedDemo [work-directory]} (default {@code target/cohort-demo}); the
 * directory's earlier demo files are replaced.
 */
public final class EmbeddedDemo {
  private static final long ALICE_CENTS = 100_00;
  private static final int STOCK = 10;
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

  private EmbeddedDemo() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/cohort-demo");
    boolean ok = run(dir, System.out);
    System.exit(ok ? 0 : 1);
  }

  static boolean run(Path dir, PrintStream out) throws IOException, SQLException {
    Files.createDirectories(dir);
    Path logFile = dir.resolve("cohort-log.db");
    Path shopFile = dir.resolve("shop.db");
    deleteWithSidecars(logFile);
    deleteWithSidecars(shopFile);

    Shop shop = new Shop(shopFile);
    shop.create(ALICE_CENTS, STOCK);
    Narrator narrator = new Narrator(out);
    ShopParticipants participants = new ShopParticipants(shop, narrator);
    List<Outcome> outcomes = new ArrayList<>();

    narrator.line("Cohort embedded demo");
    narrator.line("  coordinator log: %s (SQLite, WAL, synchronous=FULL)", logFile);
    narrator.line("  shop data      : %s (SQLite, with the participant barrier table)", shopFile);
    narrator.line("  alice has %s; sku-1 has %d units", ShopParticipants.cents(ALICE_CENTS), STOCK);

    try (JdbcTransactionStore log = JdbcTransactionStore.sqlite(logFile);
        Coordinator coordinator =
            Coordinator.builder(log)
                .build()
                .registerTcc("account", participants.account())
                .registerTcc("stock", participants.stock())
                .registerSagaStep("payment", participants.payment())
                .registerSagaStep("shipping", participants.shipping())
                .start()) {

      Purchase ok = new Purchase("alice", 30_00, "sku-1", 2, "Main St 1");
      narrator.line("%n1. TCC purchase: alice buys 2 x sku-1 for %s", money(ok));
      outcomes.add(
          settle(
              coordinator,
              coordinator
                  .tcc()
                  .branch("account", ok.encode())
                  .branch("stock", ok.encode())
                  .execute(),
              narrator));

      Purchase tooDear = new Purchase("alice", 500_00, "sku-1", 1, "Main St 1");
      narrator.line(
          "%n2. TCC purchase beyond alice's balance (%s); stock is tried first", money(tooDear));
      outcomes.add(
          settle(
              coordinator,
              coordinator
                  .tcc()
                  .branch("stock", tooDear.encode())
                  .branch("account", tooDear.encode())
                  .execute(),
              narrator));

      Purchase faraway = new Purchase("alice", 20_00, "sku-1", 1, "Atlantis");
      narrator.line(
          "%n3. Saga: pay %s, then ship to %s (the carrier refuses)",
          money(faraway), faraway.address());
      outcomes.add(
          settle(
              coordinator,
              coordinator
                  .saga()
                  .step("payment", faraway.encode())
                  .step("shipping", faraway.encode())
                  .execute(),
              narrator));

      narrator.line("%nThe log, as the coordinator recorded it:");
      for (Outcome outcome : outcomes) {
        TransactionView view = coordinator.find(outcome.gid());
        narrator.line(
            "  %s  %-5s %-11s %s",
            outcome.gid(),
            view.global().mode(),
            view.status(),
            view.branches().stream().map(EmbeddedDemo::describe).collect(Collectors.joining(", ")));
      }
    }
    return checkInvariants(shop, outcomes, narrator);
  }

  private static Outcome settle(Coordinator coordinator, Outcome outcome, Narrator narrator) {
    // COMMITTING / ROLLING_BACK mean the decision is durable and phase two is still delivering.
    long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
    GlobalStatus status = outcome.status();
    while (!isFinal(status) && System.nanoTime() < deadline) {
      coordinator.pollNow();
      status = coordinator.find(outcome.gid()).status();
    }
    narrator.line(
        "   => %s%s",
        status, outcome.reason() == null ? "" : "  (reason: " + outcome.reason() + ")");
    return new Outcome(outcome.gid(), status, outcome.reason());
  }

  private static boolean isFinal(GlobalStatus status) {
    return status == GlobalStatus.COMMITTED
        || status == GlobalStatus.ROLLED_BACK
        || status == GlobalStatus.FAILED
        || status == GlobalStatus.RESOLVED;
  }

  private static String describe(BranchRecord branch) {
    return branch.branchId() + ":" + branch.participant() + "=" + branch.status();
  }

  private static boolean checkInvariants(Shop shop, List<Outcome> outcomes, Narrator narrator)
      throws SQLException {
    long soldValue = 30_00;
    List<String> failures = new ArrayList<>();
    expect(
        failures, "every transaction ended", outcomes.stream().allMatch(o -> isFinal(o.status())));
    expect(failures, "money is conserved", shop.totalMoney() == ALICE_CENTS);
    expect(failures, "nothing stays frozen", shop.frozen("alice") == 0);
    expect(failures, "the merchant got exactly the sale", shop.balance(Shop.MERCHANT) == soldValue);
    expect(
        failures,
        "stock is conserved and nothing stays reserved",
        shop.stock("available", "sku-1") + shop.stock("sold", "sku-1") == STOCK
            && shop.stock("reserved", "sku-1") == 0);
    expect(failures, "no shipment was left booked", shop.shipments("BOOKED") == 0);

    narrator.line("%nInvariants:");
    narrator.line(
        "  alice %s, merchant %s, sku-1 available %d / sold %d / reserved %d",
        ShopParticipants.cents(shop.balance("alice")),
        ShopParticipants.cents(shop.balance(Shop.MERCHANT)),
        shop.stock("available", "sku-1"),
        shop.stock("sold", "sku-1"),
        shop.stock("reserved", "sku-1"));
    if (failures.isEmpty()) {
      narrator.line(
          "  all hold: money and stock conserved, nothing frozen, every transaction final");
      return true;
    }
    failures.forEach(f -> narrator.line("  VIOLATED: %s", f));
    return false;
  }

  private static void expect(List<String> failures, String invariant, boolean holds) {
    if (!holds) {
      failures.add(invariant);
    }
  }

  private static String money(Purchase p) {
    return ShopParticipants.cents(p.cents());
  }

  private static void deleteWithSidecars(Path file) throws IOException {
    for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
      Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
    }
  }
}
