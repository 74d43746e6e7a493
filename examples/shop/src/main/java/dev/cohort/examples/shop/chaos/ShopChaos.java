package dev.cohort.examples.shop.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.chaos.Effect;
import dev.cohort.chaos.EffectLedger;
import dev.cohort.chaos.Fault;
import dev.cohort.chaos.Invariant;
import dev.cohort.chaos.ProcessSpec;
import dev.cohort.chaos.PurchaseMode;
import dev.cohort.chaos.PurchaseOutcome;
import dev.cohort.chaos.Restartable;
import dev.cohort.chaos.SupervisedProcess;
import dev.cohort.chaos.SystemUnderTest;
import dev.cohort.examples.shop.ShopMain;
import dev.cohort.examples.shop.ShopService;
import dev.cohort.examples.shop.ShopSettings;
import dev.cohort.examples.shop.common.Seed;
import dev.cohort.protocol.v1.CoordinatorCallException;
import dev.cohort.protocol.v1.CoordinatorClient;
import dev.cohort.protocol.v1.ErrorCode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

/**
 * The reference shop as the chaos checker's system under test: the coordinator server (SQLite log)
 * and the five services as child processes started from this JVM's own classpath or jar. One
 * service (the account service unless told otherwise) runs alone in its own process so the checker
 * can kill it; the other four share a second process. Each service keeps its SQLite file across
 * restarts.
 *
 * <p>A purchase is {@code POST /purchases} on the order service with the checker's gid, which the
 * order service begins its global transaction under (the plain mode records its calls under it).
 * The ledger is every service's {@code GET /admin/effects}; the shop's own invariants read {@code
 * GET /admin/state} and the ledger (docs/chaos.md, "The shop").
 */
public final class ShopChaos implements SystemUnderTest {
  static final String KEY_ID = "shop";

  /** Each account starts with this much (cents): a long run must not run out of money. */
  static final long BALANCE = 100_000_00L;

  /** Each item starts with this many in stock. */
  static final long STOCK = 1_000_000L;

  /** How long a caller keeps trying a purchase whose transaction never reached the coordinator. */
  private static final Duration GIVE_UP_REPEATING = Duration.ofSeconds(30);

  private static final Duration PURCHASE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);

  private final SupervisedProcess coordinator;
  private final SupervisedProcess alone;
  private final SupervisedProcess others;
  private final Map<ShopService, URI> urls;
  private final CoordinatorClient client;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  private ShopChaos(
      SupervisedProcess coordinator,
      SupervisedProcess alone,
      SupervisedProcess others,
      URI coordinatorUrl,
      String token,
      Map<ShopService, URI> urls) {
    this.coordinator = coordinator;
    this.alone = alone;
    this.others = others;
    this.urls = urls;
    this.client =
        new CoordinatorClient(coordinatorUrl, token, Duration.ofSeconds(2), Duration.ofSeconds(20));
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  }

  /**
   * Starts the coordinator, then the two service processes side by side, and returns once all three
   * are healthy.
   *
   * @param dir the SQLite files, the signing key and each process's log
   * @param killable the service run in a process of its own, the one the checker kills
   */
  public static ShopChaos start(Path dir, ShopService killable) throws Exception {
    if (killable == ShopService.ORDER) {
      throw new IllegalArgumentException(
          "the killable service must be a participant (account, inventory, points, warehouse):"
              + " the checker's purchases go through the order service");
    }
    Files.createDirectories(dir);
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String key = HexFormat.of().formatHex(random);
    String token = "chaos-" + key.substring(0, 24);
    Path keyFile = dir.resolve("shop.key");
    Files.deleteIfExists(keyFile);
    Files.createFile(
        keyFile,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(keyFile, key, StandardCharsets.UTF_8);

    URI coordinatorUrl = URI.create("http://127.0.0.1:" + freePort());
    Map<ShopService, URI> urls = new EnumMap<>(ShopService.class);
    for (ShopService s : ShopService.values()) {
      urls.put(s, URI.create("http://127.0.0.1:" + freePort()));
    }
    String urlList =
        urls.entrySet().stream()
            .map(e -> e.getKey().code() + "=" + e.getValue())
            .collect(Collectors.joining(","));
    List<String> serviceArgs =
        List.of(
            "--coordinator",
            coordinatorUrl.toString(),
            "--token",
            token,
            "--key",
            key,
            "--logging.level.root=WARN",
            "--logging.level.dev.cohort=ERROR",
            "--cohort.participant.resolver.hold-threshold=10s",
            "--cohort.participant.resolver.period=1s",
            "--shop.plain.timeout=2s",
            "--shop.seed.balance=" + BALANCE,
            "--shop.seed.stock=" + STOCK);

    SupervisedProcess coordinator =
        SupervisedProcess.start(
            ProcessSpec.builder("coordinator")
                .command(
                    launch(
                        List.of("-Xmx192m"),
                        List.of(
                            "server",
                            "--store",
                            "sqlite:" + dir.resolve("log.db").toAbsolutePath(),
                            "--port",
                            Integer.toString(coordinatorUrl.getPort()),
                            "--token",
                            token,
                            "--signing-key-id",
                            KEY_ID,
                            "--signing-key-file",
                            keyFile.toAbsolutePath().toString(),
                            "--node-id",
                            "chaos-node",
                            "--lease",
                            "PT2S",
                            "--poll-interval",
                            "PT0.2S",
                            "--call-timeout",
                            "PT2S")))
                .logFile(dir.resolve("coordinator.log"))
                .healthUrl(coordinatorUrl.resolve("/health"))
                .build());
    List<SupervisedProcess> started = new ArrayList<>(List.of(coordinator));
    try {
      List<String> aloneArgs = new ArrayList<>(List.of(killable.code()));
      aloneArgs.addAll(
          List.of(
              "--port",
              Integer.toString(urls.get(killable).getPort()),
              "--db",
              ShopSettings.sqliteFiles(dir).get(killable),
              "--urls",
              urlList));
      aloneArgs.addAll(serviceArgs);
      List<String> othersArgs =
          new ArrayList<>(
              List.of(
                  "all",
                  "--only",
                  List.of(ShopService.values()).stream()
                      .filter(s -> s != killable)
                      .map(ShopService::code)
                      .collect(Collectors.joining(",")),
                  "--urls",
                  urlList,
                  "--dir",
                  dir.toAbsolutePath().toString()));
      othersArgs.addAll(serviceArgs);
      CompletableFuture<SupervisedProcess> aloneStarted =
          startAsync(
              ProcessSpec.builder(killable.code())
                  .command(launch(List.of("-Xmx192m"), aloneArgs))
                  .logFile(dir.resolve(killable.code() + ".log"))
                  .healthUrl(urls.get(killable).resolve("/admin/state"))
                  .startTimeout(Duration.ofMinutes(2))
                  .build());
      CompletableFuture<SupervisedProcess> othersStarted =
          startAsync(
              ProcessSpec.builder("services")
                  .command(launch(List.of("-Xmx384m"), othersArgs))
                  .logFile(dir.resolve("services.log"))
                  .healthUrl(urls.get(ShopService.ORDER).resolve("/admin/state"))
                  .startTimeout(Duration.ofMinutes(3))
                  .build());
      SupervisedProcess a = join(aloneStarted, started);
      SupervisedProcess o = join(othersStarted, started);
      return new ShopChaos(coordinator, a, o, coordinatorUrl, token, urls);
    } catch (Exception | Error e) {
      started.forEach(SupervisedProcess::close);
      throw e;
    }
  }

  private static CompletableFuture<SupervisedProcess> startAsync(ProcessSpec spec) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return SupervisedProcess.start(spec);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting " + spec.name(), e);
      }
    });
  }

  /** Waits for a start; a failed one is thrown once every other start has been waited for. */
  private static SupervisedProcess join(
      CompletableFuture<SupervisedProcess> start, List<SupervisedProcess> started)
      throws Exception {
    try {
      SupervisedProcess p = start.join();
      started.add(p);
      return p;
    } catch (CompletionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * A child JVM running {@link ShopMain} from what this JVM runs: {@code -jar} when it was started
   * from the shop's jar, else {@code -cp} with this JVM's classpath.
   */
  static List<String> launch(List<String> jvmOptions, List<String> args) {
    List<String> c = new ArrayList<>();
    c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    c.addAll(jvmOptions);
    c.addAll(
        List.of(
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dcohort.log.level=warn",
            "--enable-native-access=ALL-UNNAMED"));
    String classpath = System.getProperty("java.class.path");
    if (isBootJar(classpath)) {
      c.add("-jar");
      c.add(Path.of(classpath).toAbsolutePath().toString());
    } else {
      c.add("-cp");
      c.add(classpath);
      c.add(ShopMain.class.getName());
    }
    c.addAll(args);
    return c;
  }

  /**
   * Whether the classpath is the shop's Spring Boot jar (its classes nested, so only {@code -jar}
   * runs it); a test runner's manifest-only jar is used with {@code -cp} like any classpath.
   */
  private static boolean isBootJar(String classpath) {
    if (classpath.contains(File.pathSeparator) || !classpath.endsWith(".jar")) {
      return false;
    }
    try (JarFile jar = new JarFile(classpath)) {
      Manifest manifest = jar.getManifest();
      return manifest != null && manifest.getMainAttributes().getValue("Start-Class") != null;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public List<PurchaseMode> modes() {
    return List.of(
        PurchaseMode.coordinated("tcc"),
        PurchaseMode.coordinated("saga"),
        PurchaseMode.uncoordinated("plain"));
  }

  /**
   * One purchase, the account, item and quantity drawn from the gid. A Cohort purchase answered
   * {@code failed} whose gid the coordinator never logged (the coordinator was down when the order
   * service began it) is made again under the same gid, as a client retries a refused connection.
   */
  @Override
  public PurchaseOutcome purchase(String mode, String gid) throws Exception {
    int h = Math.floorMod(gid.hashCode(), 1_000_000);
    ObjectNode body = json.createObjectNode();
    body.put("mode", mode);
    body.put("account", Seed.account(h % Seed.ACCOUNTS));
    body.put("item", Seed.CATALOG.get((h / Seed.ACCOUNTS) % Seed.CATALOG.size()).id());
    body.put("quantity", 1 + h % 2);
    body.put("gid", gid);
    long giveUp = System.nanoTime() + GIVE_UP_REPEATING.toNanos();
    while (true) {
      JsonNode answer = post(body);
      PurchaseOutcome outcome =
          switch (answer.path("outcome").asText()) {
            case "committed" -> PurchaseOutcome.COMMITTED;
            case "rolled_back" -> PurchaseOutcome.ROLLED_BACK;
            default -> PurchaseOutcome.FAILED;
          };
      if (outcome != PurchaseOutcome.FAILED
          || mode.equals("plain")
          || System.nanoTime() > giveUp
          || coordinatorKnows(gid, giveUp)) {
        return outcome;
      }
      Thread.sleep(100); // a client's reconnect backoff
    }
  }

  private JsonNode post(ObjectNode body) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(urls.get(ShopService.ORDER).resolve("/purchases"))
                .timeout(PURCHASE_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "the order service answered " + response.statusCode() + ": " + response.body());
    }
    return json.readTree(response.body());
  }

  /** Whether the coordinator has logged {@code gid}; waits while it is down (until giveUp). */
  private boolean coordinatorKnows(String gid, long giveUp) throws InterruptedException {
    while (true) {
      try {
        client.show(gid);
        return true;
      } catch (CoordinatorCallException e) {
        if (e.code() == ErrorCode.NOT_FOUND) {
          return false;
        }
        if (System.nanoTime() > giveUp) {
          return true; // cannot tell: leave it failed
        }
        Thread.sleep(100);
      }
    }
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
    return List.of(alone);
  }

  public SupervisedProcess coordinatorSupervisor() {
    return coordinator;
  }

  public SupervisedProcess participantSupervisor() {
    return alone;
  }

  /** The shop's fault switches: one fault armed on one service at each injection. */
  @Override
  public List<Fault> faults() {
    return List.of(new ShopFaults(http, urls));
  }

  @Override
  public void clearFaults() {
    new ShopFaults(http, urls).clear();
  }

  @Override
  public Optional<EffectLedger> ledger() {
    return Optional.of(this::effects);
  }

  List<Effect> effects() throws IOException, InterruptedException {
    List<Effect> all = new ArrayList<>();
    for (ShopService s : ShopService.values()) {
      for (JsonNode row : get(s, "/admin/effects")) {
        all.add(
            new Effect(
                row.path("gid").asText(), row.path("branch").asText(), row.path("op").asText()));
      }
    }
    return all;
  }

  JsonNode state(ShopService service) throws IOException, InterruptedException {
    return get(service, "/admin/state");
  }

  private JsonNode get(ShopService service, String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(urls.get(service).resolve(path))
                .timeout(ADMIN_TIMEOUT)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          service.code() + " " + path + " answered " + response.statusCode());
    }
    return json.readTree(response.body());
  }

  @Override
  public List<Invariant> invariants() {
    return ShopInvariants.all(this);
  }

  /** Where each service answers. */
  public Map<ShopService, URI> urls() {
    return new LinkedHashMap<>(urls);
  }

  @Override
  public void close() {
    client.close();
    http.close();
    others.close();
    alone.close();
    coordinator.close();
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }
}
