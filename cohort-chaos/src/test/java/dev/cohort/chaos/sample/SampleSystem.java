package dev.cohort.chaos.sample;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.chaos.Effect;
import dev.cohort.chaos.EffectLedger;
import dev.cohort.chaos.Invariant;
import dev.cohort.chaos.Invariants;
import dev.cohort.chaos.ProcessSpec;
import dev.cohort.chaos.Purchase;
import dev.cohort.chaos.PurchaseMode;
import dev.cohort.chaos.PurchaseOutcome;
import dev.cohort.chaos.Restartable;
import dev.cohort.chaos.RunRecord;
import dev.cohort.chaos.SupervisedProcess;
import dev.cohort.chaos.SystemUnderTest;
import dev.cohort.chaos.Violation;
import dev.cohort.protocol.v1.Codec;
import dev.cohort.protocol.v1.CoordinatorCallException;
import dev.cohort.protocol.v1.CoordinatorClient;
import dev.cohort.protocol.v1.CreateRequest;
import dev.cohort.protocol.v1.ErrorCode;
import dev.cohort.testsupport.DatabasePair;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The system the checker's own tests run against: the real coordinator server as a child JVM on an
 * SQLite log, and {@link SampleParticipant} as a second child JVM on its own PostgreSQL schema. A
 * purchase takes money from a customer and ships one item, as TCC, as a saga, or "plain" (two HTTP
 * calls, no coordinator).
 */
public final class SampleSystem implements SystemUnderTest {
  static final String TOKEN = "chaos-token-0123456789abcdef";
  static final String READER_TOKEN = "chaos-reader-0123456789abcdef";

  /**
   * Longer than a transaction's timeout: a participant asks about a try only once its transaction
   * can no longer be deciding, so a presumed abort never rolls back a purchase still under way.
   */
  private static final long HOLD_THRESHOLD_MS = 12_000;

  private static final long TX_TIMEOUT_MS = 10_000;
  private static final Duration GIVE_UP_RECONNECTING = Duration.ofSeconds(30);

  private final SupervisedProcess coordinator;
  private final SupervisedProcess participant;
  private final CoordinatorClient client;
  private final HttpClient http;
  private final URI participantBase;
  private final DataSource db;

  private SampleSystem(
      SupervisedProcess coordinator,
      SupervisedProcess participant,
      URI coordinatorBase,
      URI participantBase,
      DataSource db) {
    this.coordinator = coordinator;
    this.participant = participant;
    this.participantBase = participantBase;
    this.db = db;
    this.client =
        new CoordinatorClient(
            coordinatorBase, TOKEN, Duration.ofSeconds(2), Duration.ofSeconds(20));
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  }

  /**
   * Starts both processes and returns once both are healthy.
   *
   * @param participantFlags fault switches of {@link SampleParticipant}, e.g. {@code
   *     --fail-stock-every 9}
   */
  public static SampleSystem start(DatabasePair pg, Path dir, List<String> participantFlags)
      throws Exception {
    String classpath = System.getProperty("java.class.path");
    List<String> jvm = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    int coordinatorPort = freePort();
    int participantPort = freePort();
    URI coordinatorBase = URI.create("http://127.0.0.1:" + coordinatorPort);
    URI participantBase = URI.create("http://127.0.0.1:" + participantPort);

    List<String> participantArgs =
        new ArrayList<>(
            List.of(
                "--port",
                Integer.toString(participantPort),
                "--url",
                pg.primaryUrl(),
                "--user",
                pg.user(),
                "--password",
                pg.password(),
                "--coordinator",
                coordinatorBase.toString(),
                "--reader-token",
                READER_TOKEN,
                "--hold-threshold-ms",
                Long.toString(HOLD_THRESHOLD_MS)));
    participantArgs.addAll(participantFlags);
    SupervisedProcess participant =
        SupervisedProcess.start(
            ProcessSpec.builder("participant")
                .javaMain(jvm, classpath, SampleParticipant.class.getName(), participantArgs)
                .logFile(dir.resolve("participant.log"))
                .healthUrl(participantBase.resolve("/health"))
                .build());
    SupervisedProcess coordinator;
    try {
      coordinator =
          SupervisedProcess.start(
              ProcessSpec.builder("coordinator")
                  .javaMain(
                      jvm,
                      classpath,
                      "dev.cohort.server.cli.CohortCli",
                      List.of(
                          "server",
                          "--store",
                          "sqlite:" + dir.resolve("log.db"),
                          "--port",
                          Integer.toString(coordinatorPort),
                          "--token",
                          TOKEN,
                          "--reader-token",
                          READER_TOKEN,
                          "--node-id",
                          "chaos-node",
                          "--lease",
                          "PT2S",
                          "--poll-interval",
                          "PT0.2S",
                          "--call-timeout",
                          "PT5S"))
                  .logFile(dir.resolve("coordinator.log"))
                  .healthUrl(coordinatorBase.resolve("/health"))
                  .build());
    } catch (Exception | Error e) {
      participant.close();
      throw e;
    }
    return new SampleSystem(
        coordinator, participant, coordinatorBase, participantBase, pg.primary());
  }

  @Override
  public List<PurchaseMode> modes() {
    return List.of(
        PurchaseMode.coordinated("tcc"),
        PurchaseMode.coordinated("tcc-pa"),
        PurchaseMode.coordinated("saga"),
        PurchaseMode.uncoordinated("plain"));
  }

  @Override
  public PurchaseOutcome purchase(String mode, String gid) throws Exception {
    int h = Math.floorMod(gid.hashCode(), 1_000_000);
    ObjectNode payload = Codec.JSON.createObjectNode();
    payload.put("gid", gid);
    payload.put("account", "c" + h % SampleParticipant.CUSTOMERS);
    payload.put("amount", 1 + h % 50);
    payload.put("sku", "s" + h % SampleParticipant.SKUS);
    payload.put("qty", 1 + h % 3);
    return switch (mode) {
      case "tcc", "tcc-pa", "saga" -> coordinated(mode, gid, payload);
      case "plain" -> plain(payload);
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    };
  }

  private PurchaseOutcome coordinated(String mode, String gid, ObjectNode payload)
      throws InterruptedException {
    // tcc-pa: the same TCC purchase with presumed abort (nothing logged before the tries).
    boolean presumedAbort = mode.equals("tcc-pa");
    String protocolMode = presumedAbort ? "tcc" : mode;
    List<ObjectNode> branches = new ArrayList<>();
    for (String resource : List.of("account", "stock")) {
      ObjectNode b = Codec.JSON.createObjectNode();
      b.put("branchId", resource);
      String url = participantBase + "/" + protocolMode + "/" + resource;
      if (protocolMode.equals("tcc")) {
        b.put("try", url).put("confirm", url).put("cancel", url);
      } else {
        b.put("action", url).put("compensate", url);
      }
      b.set("payload", payload);
      branches.add(b);
    }
    CreateRequest request =
        new CreateRequest(
            protocolMode, gid, TX_TIMEOUT_MS, null, presumedAbort ? true : null, branches, true);
    long giveUp = System.nanoTime() + GIVE_UP_RECONNECTING.toNanos();
    while (true) {
      try {
        return outcome(client.submit(request).status());
      } catch (CoordinatorCallException e) {
        if (e.code() == ErrorCode.REFUSED && e.body() != null && e.body().status() != null) {
          return outcome(e.body().status());
        }
        // Connection refused while the coordinator restarts: the order service tries again with
        // the same gid (a repeat of a create that did arrive answers 409, and the caller does
        // not know the outcome: FAILED).
        if (e.kind() != CoordinatorCallException.Kind.UNREACHABLE
            || !(e.getCause() instanceof java.net.ConnectException)
            || System.nanoTime() > giveUp) {
          throw e;
        }
        Thread.sleep(100); // a client's reconnect backoff, not a test's synchronisation
      }
    }
  }

  private static PurchaseOutcome outcome(String status) {
    return switch (status) {
      case "committed", "committing" -> PurchaseOutcome.COMMITTED;
      case "rolled_back", "rolling_back" -> PurchaseOutcome.ROLLED_BACK;
      default -> PurchaseOutcome.FAILED;
    };
  }

  private PurchaseOutcome plain(ObjectNode payload) throws Exception {
    for (String resource : List.of("account", "stock")) {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(participantBase + "/plain/" + resource))
                  .timeout(Duration.ofSeconds(10))
                  .POST(HttpRequest.BodyPublishers.ofString(payload.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new IllegalStateException(resource + " answered " + answer.statusCode());
      }
    }
    return PurchaseOutcome.COMMITTED;
  }

  @Override
  public CoordinatorClient coordinator() {
    return client;
  }

  @Override
  public Optional<Restartable> coordinatorProcess() {
    return Optional.of(coordinator);
  }

  @Override
  public List<Restartable> participantProcesses() {
    return List.of(participant);
  }

  public SupervisedProcess coordinatorSupervisor() {
    return coordinator;
  }

  public SupervisedProcess participantSupervisor() {
    return participant;
  }

  @Override
  public Optional<EffectLedger> ledger() {
    return Optional.of(this::effects);
  }

  private List<Effect> effects() throws Exception {
    List<Effect> effects = new ArrayList<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT gid, branch, op FROM ledger ORDER BY id")) {
      while (rs.next()) {
        effects.add(new Effect(rs.getString(1), rs.getString(2), rs.getString(3)));
      }
    }
    return effects;
  }

  /**
   * Nothing frozen: a presumed-abort purchase cut off in its tries is not in the coordinator's log,
   * so only the participant's held-branch resolver ends it; the checker waits for that too.
   */
  @Override
  public boolean settled() throws Exception {
    return sum("SELECT SUM(frozen) FROM accounts") + sum("SELECT SUM(frozen) FROM stock") == 0;
  }

  @Override
  public List<Invariant> invariants() {
    return List.of(
        Invariants.conserved(
            "money-conserved",
            () -> Map.of("balance+frozen", sum("SELECT SUM(balance + frozen) FROM accounts"))),
        Invariants.conserved(
            "stock-conserved",
            () ->
                Map.of(
                    "available+frozen+shipped",
                    sum("SELECT SUM(available + frozen + shipped) FROM stock"))),
        Invariants.allZero(
            "nothing-frozen",
            () ->
                Map.of(
                    "accounts.frozen", sum("SELECT SUM(frozen) FROM accounts"),
                    "stock.frozen", sum("SELECT SUM(frozen) FROM stock"))),
        new PaidIffShipped());
  }

  private long sum(String sql) throws Exception {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A purchase that ended took the money exactly when it shipped the goods. */
  private final class PaidIffShipped implements Invariant {
    @Override
    public String name() {
      return "paid-iff-shipped";
    }

    @Override
    public List<Violation> check(RunRecord run) throws Exception {
      Map<String, long[]> net = new HashMap<>(); // gid -> {paid, shipped}
      for (Effect e : effects()) {
        int sign =
            switch (e.op()) {
              case "confirm", "action" -> 1;
              case "compensate" -> -1;
              default -> 0;
            };
        net.computeIfAbsent(e.gid(), g -> new long[2])[e.branchId().equals("account") ? 0 : 1] +=
            sign;
      }
      List<Violation> found = new ArrayList<>();
      for (Purchase p : run.purchases()) {
        if (p.coordinated() && (p.finalStatus() == null || !isEnded(p.finalStatus()))) {
          continue;
        }
        long[] n = net.getOrDefault(p.gid(), new long[2]);
        if (n[0] != n[1]) {
          found.add(
              new Violation(
                  name(),
                  p.gid(),
                  p.mode() + " purchase paid " + n[0] + " time(s) but shipped " + n[1]));
        }
      }
      return found;
    }

    private boolean isEnded(String status) {
      return status.equals("committed") || status.equals("rolled_back");
    }
  }

  @Override
  public void close() {
    client.close();
    http.close();
    coordinator.close();
    participant.close();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
