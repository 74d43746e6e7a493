package dev.cohort.server.cli;

import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.client.Branch;
import dev.cohort.client.Cohort;
import dev.cohort.client.Transaction;
import dev.cohort.client.TransactionRolledBackException;
import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.protocol.CallSignature;
import dev.cohort.server.CohortServer;
import dev.cohort.server.demo.SampleShop;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The README's main command: a coordinator server on an embedded SQLite log, a built-in sample shop
 * (account, stock and shipping participants over HTTP), and three purchases through the SDK's HTTP
 * transport — one that commits, one the account refuses, a saga that compensates — then the URLs to
 * look at. The server keeps running until Ctrl-C unless {@code --exit}.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Starts the server on an SQLite log with a sample shop and runs purchases through it.")
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "7070",
      description = "Server port (default: ${DEFAULT-VALUE}; 0 for any free port).")
  int port;

  @Option(
      names = "--dir",
      defaultValue = "target/cohort-demo",
      description =
          "Where the log and the shop's database go; recreated (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--exit", description = "Stop after the purchases instead of serving on.")
  boolean exit;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Files.createDirectories(dir);
    for (String name : List.of("log.db", "log.db-wal", "log.db-shm", "shop.db", "shop.db-wal")) {
      Files.deleteIfExists(dir.resolve(name));
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    CallSignature signature =
        new CallSignature(
            Map.of("demo", key), "demo", CallSignature.DEFAULT_MAX_SKEW, Clock.systemUTC());
    String token = HexFormat.of().formatHex(key, 0, 12);

    try (SampleShop shop = SampleShop.start(dir.resolve("shop.db"), signature)) {
      CohortServer server =
          CohortServer.builder(JdbcTransactionStore.sqlite(dir.resolve("log.db")))
              .port(port)
              .token(token)
              .httpParticipant(HttpParticipant.builder().signer(signature).build())
              .build()
              .start();
      try {
        String base = "http://127.0.0.1:" + server.port();
        out.println("cohort server on " + base + " (SQLite log " + dir.resolve("log.db") + ")");
        out.println("sample shop participants on " + shop.url("/"));
        out.println();
        try (Cohort cohort = Cohort.connect(URI.create(base), token)) {
          Outcome paid = purchase(cohort, shop, "alice", 3000);
          report(out, "alice buys a book for 30.00 (TCC: account + stock)", paid, base);
          Outcome refused = purchase(cohort, shop, "bob", 3000);
          report(out, "bob buys a book for 30.00 with 5.00 in his account", refused, base);
          Outcome saga =
              cohort.run(
                  Mode.SAGA,
                  List.of(
                      Branch.saga(
                          "ship",
                          shop.url("/shipping"),
                          shop.url("/shipping"),
                          "{\"address\":\"1 Main St\"}",
                          false),
                      Branch.saga(
                          "ship-gift",
                          shop.url("/shipping"),
                          shop.url("/shipping"),
                          "{\"address\":\"\"}",
                          false)));
          report(out, "a saga whose second step is refused (first step compensated)", saga, base);
        }
        out.println("the shop afterwards:");
        out.print(shop.describe());
        boolean consistent = shop.nothingLeftHeld();
        out.println(
            consistent
                ? "  nothing left frozen or reserved: every transaction finished cleanly"
                : "  MONEY OR STOCK LEFT HELD: a transaction did not finish");
        out.println();
        out.println("look at:  " + base + "/v1/transactions");
        out.println("          " + base + "/metrics");
        out.println("          " + base + "/console  (web console; sign in with the token below)");
        out.println("operator: ./cohort tx list --url " + base + " --token " + token);
        out.flush();
        if (!consistent) {
          return CohortCli.REFUSED;
        }
        if (!exit) {
          out.println("serving until Ctrl-C ...");
          out.flush();
          awaitShutdown();
        }
        return CohortCli.OK;
      } finally {
        server.close();
      }
    }
  }

  private static Outcome purchase(Cohort cohort, SampleShop shop, String account, long cents) {
    Transaction tx = cohort.begin(Mode.TCC);
    try {
      tx.register(
          Branch.tcc(
              "account",
              shop.url("/account"),
              shop.url("/account"),
              shop.url("/account"),
              "{\"key\":\"" + account + "\",\"amount\":" + cents + "}"));
      tx.register(
          Branch.tcc(
              "stock",
              shop.url("/stock"),
              shop.url("/stock"),
              shop.url("/stock"),
              "{\"key\":\"book\",\"amount\":1}"));
      return tx.commit();
    } catch (TransactionRolledBackException e) {
      return e.outcome();
    }
  }

  private static void report(PrintWriter out, String what, Outcome outcome, String base) {
    out.println(what);
    out.println(
        "  -> "
            + outcome.status().code()
            + (outcome.reason() == null ? "" : " (" + outcome.reason() + ")"));
    out.println("     " + base + "/v1/transactions/" + outcome.gid().value());
    out.println();
  }

  private static void awaitShutdown() throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "cohort-demo-shutdown"));
    stopped.await();
  }
}
