package dev.cohort.bench;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.TccParticipant;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.LogUnit;
import dev.cohort.coordinator.spi.WriteResult;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * A restart with a backlog: a SQLite log holds {@code transactions} committing TCC transactions of
 * this node (two branches each), as a killed node leaves them; a fresh engine starts on it with
 * participants that answer each confirm after {@code confirmMs}. Prints how long {@code start()}
 * took (from then on a server answers {@code /health}) and how long until every transaction was
 * committed, for each {@code parallelism} (1 is how recovery ran before it moved to the background:
 * one transaction at a time, {@code start()} returning only at the end). With {@code hang=true} the
 * participant of one transaction never answers until the end, and the time is until every other
 * transaction committed.
 *
 * <p>Arguments (all optional): {@code transactions=10000 confirmMs=1 parallelism=1,64 hang=false}.
 */
public final class RecoveryBench {
  private static final String NODE = "recovering-node";
  private static final Gid HUNG = Gid.of("backlog-0");

  private RecoveryBench() {}

  public static void main(String[] args) throws Exception {
    Properties a = ClosedLoop.arguments(args);
    int transactions = Integer.parseInt(a.getProperty("transactions", "10000"));
    long confirmMs = Long.parseLong(a.getProperty("confirmMs", "1"));
    boolean hang = Boolean.parseBoolean(a.getProperty("hang", "false"));
    System.out.printf(
        Locale.ROOT,
        "cohort recovery bench: %d committing TCC transactions (2 branches) on SQLite, confirms"
            + " answer in %d ms%s; %d cores; java %s%n",
        transactions,
        confirmMs,
        hang ? ", one transaction's participant hangs" : "",
        Runtime.getRuntime().availableProcessors(),
        Runtime.version());
    System.out.printf(
        Locale.ROOT, "%-12s %12s %16s %12s%n", "parallelism", "start() ms", "all done ms", "tx/s");
    for (String p : a.getProperty("parallelism", "1,64").split(",", -1)) {
      run(Integer.parseInt(p.trim()), transactions, confirmMs, hang);
    }
  }

  private static void run(int parallelism, int transactions, long confirmMs, boolean hang)
      throws Exception {
    Path dir = Files.createTempDirectory("cohort-recovery-bench");
    try (JdbcTransactionStore log = JdbcTransactionStore.sqlite(dir.resolve("log.db"))) {
      log.open();
      seed(log, transactions);
    }
    CountDownLatch release = new CountDownLatch(1);
    TccParticipant participant =
        TccParticipant.of(
            ctx -> {},
            ctx -> {
              if (hang && ctx.gid().equals(HUNG)) {
                release.await();
              }
              Thread.sleep(confirmMs);
            },
            ctx -> {});
    try (JdbcTransactionStore log = JdbcTransactionStore.sqlite(dir.resolve("log.db"));
        Coordinator coordinator =
            Coordinator.builder(log)
                .options(
                    CoordinatorOptions.newBuilder()
                        .nodeId(NODE)
                        .recoveryParallelism(parallelism)
                        .build())
                .build()) {
      coordinator.registerTcc("a", participant).registerTcc("b", participant);
      long t0 = System.nanoTime();
      coordinator.start();
      long started = System.nanoTime();
      long expected = hang ? transactions - 1 : transactions;
      while (log.countByStatus().getOrDefault(GlobalStatus.COMMITTED, 0L) < expected) {
        Thread.sleep(5); // a benchmark polling the log; not a test
      }
      long done = System.nanoTime();
      release.countDown();
      System.out.printf(
          Locale.ROOT,
          "%-12d %12.0f %16.0f %12.0f%n",
          parallelism,
          (started - t0) / 1e6,
          (done - t0) / 1e6,
          expected / ((done - t0) / 1e9));
    }
  }

  /** What a node killed after its commit decisions leaves: committing, both tries succeeded. */
  private static void seed(JdbcTransactionStore log, int transactions) {
    Instant now = Instant.now();
    List<CompletableFuture<WriteResult>> writes = new ArrayList<>();
    for (int i = 0; i < transactions; i++) {
      Gid gid = Gid.of("backlog-" + i);
      GlobalRecord global =
          GlobalRecord.planned(
                  gid,
                  Mode.TCC,
                  false,
                  now.plus(Duration.ofMinutes(1)),
                  NODE,
                  now.plus(Duration.ofSeconds(30)),
                  now)
              .withStatus(GlobalStatus.COMMITTING, now)
              .withPhase(now, null, null);
      List<BranchRecord> branches =
          List.of(
              new BranchRecord(
                  gid, BranchId.of("b1"), 0, "a", "", false, BranchStatus.SUCCEEDED, 0, null),
              new BranchRecord(
                  gid, BranchId.of("b2"), 1, "b", "", false, BranchStatus.SUCCEEDED, 0, null));
      writes.add(log.write(new LogUnit(new LogUnit.Insert(global, branches), List.of())));
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
  }
}
