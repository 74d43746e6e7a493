package dev.cohort.bench.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.cohort.api.BranchId;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.bench.ClosedLoop;
import dev.cohort.client.Cohort;
import dev.cohort.protocol.HttpTarget;
import dev.cohort.protocol.JdkHttp;
import dev.cohort.protocol.Operation;
import dev.cohort.protocol.v1.BranchJson;
import dev.cohort.protocol.v1.CoordinatorClient;
import dev.cohort.protocol.v1.CreateRequest;
import dev.cohort.protocol.v1.Created;
import dev.cohort.protocol.v1.OutcomeBody;
import dev.cohort.protocol.v1.TransactionPage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drives a running Cohort server over HTTP/JSON with a closed loop of N clients, the way a service
 * in another language would: no SDK, one JDK {@link HttpClient} with keep-alive connections.
 * Participants are no-op HTTP handlers served from this JVM. Each workload is compared with the
 * same participant calls made directly, without the coordinator, in the same run.
 *
 * <p>Workloads: {@code empty} (create + commit, two requests), {@code empty-sdk} (the SDK's {@code
 * Cohort.connect(...).beginLazily(TCC).commit()}: one request, one log write), {@code tcc}
 * (one-shot TCC with two no-op HTTP branches: the coordinator calls try, try, confirm, confirm),
 * {@code tcc-pa} (the same with presumed abort: nothing logged before the tries), {@code tcc-db}
 * (the same with real participants: signature check + barrier + one row update on PostgreSQL per
 * call), {@code saga} (one-shot saga of three no-op HTTP steps). Arguments: {@code
 * url=http://127.0.0.1:7070 token=... workloads=empty,tcc,tcc-db,saga callers=1,16,64 seconds=5
 * warmup=2 label=<store name for the table> key-file=<the server's signing key> pg-url=<jdbc url
 * for tcc-db's business tables> pg-user=postgres}.
 */
public final class ServerBench {

  private ServerBench() {}

  private record Result(
      double perSecond, double p50Millis, double p99Millis, long errors, double serverCpuMicros) {}

  public static void main(String[] args) throws Exception {
    Properties a = ClosedLoop.arguments(args);
    URI server = URI.create(a.getProperty("url", "http://127.0.0.1:7070"));
    String token = a.getProperty("token", System.getenv().getOrDefault("COHORT_TOKEN", ""));
    List<String> workloads = List.of(a.getProperty("workloads", "empty,tcc,saga").split(",", -1));
    List<Integer> callers = new ArrayList<>();
    for (String c : a.getProperty("callers", "1,16,64").split(",", -1)) {
      callers.add(Integer.parseInt(c.trim()));
    }
    int seconds = Integer.parseInt(a.getProperty("seconds", "5"));
    int warmup = Integer.parseInt(a.getProperty("warmup", "2"));
    String label = a.getProperty("label", "?");
    // On 2 cores the server's JIT needs tens of seconds of load before its numbers settle: run
    // every workload at 16 clients for this long before the first measurement.
    int jitWarmup = Integer.parseInt(a.getProperty("jit-warmup", "30"));
    // The server's process id (scripts/bench-server passes it): its CPU time per transaction in the
    // measured window is printed too — a figure that, unlike tx/s, holds up on a loaded machine.
    long serverPid = Long.parseLong(a.getProperty("server-pid", "0"));

    LongAdder participantCalls = new LongAdder();
    HttpServer participants =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
    participants.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    participants.createContext(
        "/noop",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
          }
          participantCalls.increment();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    participants.start();
    String p = "http://127.0.0.1:" + participants.getAddress().getPort() + "/noop/";

    HttpClient http = JdkHttp.client(Duration.ofSeconds(5));
    Client client = new Client(http);
    CoordinatorClient api =
        new CoordinatorClient(
            URI.create(server.toString().replaceAll("/+$", "")),
            token,
            Duration.ofSeconds(5),
            Duration.ofSeconds(30));

    URI noop = URI.create(p);
    CreateRequest tccBody =
        oneShot(
            Mode.TCC,
            List.of(
                BranchJson.request(BranchId.of("b1"), tcc(noop, "{\"n\":1}"), false),
                BranchJson.request(BranchId.of("b2"), tcc(noop, "{\"n\":1}"), false)));
    List<ObjectNode> steps = new ArrayList<>();
    for (String id : List.of("s1", "s2", "s3")) {
      steps.add(BranchJson.request(BranchId.of(id), saga(noop, "{\"n\":1}"), false));
    }
    CreateRequest sagaBody = oneShot(Mode.SAGA, steps);
    CreateRequest emptyTcc = new CreateRequest(Mode.TCC.code(), null, null, null, null, null);

    System.out.printf(
        Locale.ROOT,
        "cohort server bench: %s, store %s; %ds measured after %ds warm-up; %d cores; java %s%n",
        server,
        label,
        seconds,
        warmup,
        Runtime.getRuntime().availableProcessors(),
        Runtime.version());
    System.out.printf(
        Locale.ROOT,
        "%-6s %-8s %7s %9s %8s %8s %11s %8s %8s %7s %12s%n",
        "work",
        "store",
        "clients",
        "tx/s",
        "p50 ms",
        "p99 ms",
        "direct tx/s",
        "d p50",
        "d p99",
        "ratio",
        "server µs/tx");
    List<AutoCloseable> closeAtEnd = new ArrayList<>();
    Cohort sdk = null;
    DbParticipants dbParticipants = null;
    List<ClosedLoop.Task> warmups = new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      boolean warming = round == 0;
      if (warming && jitWarmup == 0) {
        continue;
      }
      for (String workload : workloads) {
        ClosedLoop.Task viaCoordinator;
        ClosedLoop.Task direct;
        switch (workload.trim()) {
          case "empty" -> {
            viaCoordinator =
                () -> {
                  Created created = api.create(emptyTcc);
                  expectCommitted(api.commit(created.gid()));
                };
            direct = null;
          }
          case "empty-sdk" -> {
            if (sdk == null) {
              sdk = Cohort.connect(server, token);
              closeAtEnd.add(sdk);
            }
            Cohort cohort = sdk;
            viaCoordinator =
                () -> {
                  Outcome outcome = cohort.beginLazily(Mode.TCC).commit();
                  if (outcome.status() != GlobalStatus.COMMITTED
                      && outcome.status() != GlobalStatus.COMMITTING) {
                    throw new IllegalStateException("expected committed or committing: " + outcome);
                  }
                };
            direct = null;
          }
          case "tcc", "tcc-pa" -> {
            CreateRequest body = workload.trim().equals("tcc") ? tccBody : presumedAbort(tccBody);
            viaCoordinator = () -> expectCommitted(api.submit(body));
            direct =
                () -> {
                  for (Operation op :
                      List.of(Operation.TRY, Operation.TRY, Operation.CONFIRM, Operation.CONFIRM)) {
                    client.call(URI.create(p + op.code()));
                  }
                };
          }
          case "tcc-db" -> {
            if (dbParticipants == null) { // once, for the warm-up and the measured round
              dbParticipants =
                  DbParticipants.start(
                      a.getProperty("pg-url"),
                      a.getProperty("pg-user", "postgres"),
                      a.getProperty("pg-password", ""),
                      Path.of(a.getProperty("key-file")));
              closeAtEnd.add(dbParticipants);
            }
            DbParticipants db = dbParticipants;
            URI url = db.url();
            viaCoordinator =
                () -> {
                  int account = ThreadLocalRandom.current().nextInt(DbParticipants.ACCOUNTS);
                  CreateRequest body =
                      oneShot(
                          Mode.TCC,
                          List.of(
                              BranchJson.request(
                                  BranchId.of("b1"),
                                  dbTcc(url, "{\"account\":" + account + "}"),
                                  false),
                              BranchJson.request(
                                  BranchId.of("b2"),
                                  dbTcc(url, "{\"account\":" + (account + 1) % 1000 + "}"),
                                  false)));
                  expectCommitted(api.submit(body));
                };
            direct = db::directTransaction;
          }
          case "saga" -> {
            viaCoordinator = () -> expectCommitted(api.submit(sagaBody));
            direct =
                () -> {
                  for (int i = 0; i < 3; i++) {
                    client.call(URI.create(p + Operation.ACTION.code()));
                  }
                };
          }
          default -> throw new IllegalArgumentException("unknown workload " + workload);
        }
        if (warming) {
          warmups.add(viaCoordinator);
          continue;
        }
        for (int n : callers) {
          Result r = run(viaCoordinator, n, warmup, seconds, serverPid);
          Result d = direct == null ? null : run(direct, n, 1, Math.max(2, seconds / 2), 0);
          System.out.printf(
              Locale.ROOT,
              "%-6s %-8s %7d %9.0f %8.2f %8.2f %11s %8s %8s %7s %12s%s%n",
              workload,
              label,
              n,
              r.perSecond(),
              r.p50Millis(),
              r.p99Millis(),
              d == null ? "-" : String.format(Locale.ROOT, "%.0f", d.perSecond()),
              d == null ? "-" : String.format(Locale.ROOT, "%.2f", d.p50Millis()),
              d == null ? "-" : String.format(Locale.ROOT, "%.2f", d.p99Millis()),
              d == null ? "-" : String.format(Locale.ROOT, "%.2f", r.perSecond() / d.perSecond()),
              Double.isNaN(r.serverCpuMicros())
                  ? "-"
                  : String.format(Locale.ROOT, "%.0f", r.serverCpuMicros()),
              r.errors() + (d == null ? 0 : d.errors()) > 0
                  ? "  (errors: " + r.errors() + (d == null ? "" : " / " + d.errors()) + ")"
                  : "");
        }
      }
      if (warming) {
        for (ClosedLoop.Task w : warmups) {
          run(w, 16, 0, Math.max(1, jitWarmup / Math.max(1, warmups.size())), 0);
        }
      }
    }
    TransactionPage unfinished =
        api.list(Map.of("status", "open,begun,committing,rolling_back,failed", "limit", "500"));
    int backlog = unfinished.transactions().size();
    System.out.printf(
        Locale.ROOT,
        "unfinished transactions left in the log at the end: %d%s; participant calls served: %d%n",
        backlog,
        backlog == 500 ? "+" : "",
        participantCalls.sum());
    participants.stop(0);
    for (AutoCloseable c : closeAtEnd) {
      c.close();
    }
    api.close();
  }

  private static HttpTarget tcc(URI url, String body) {
    return HttpTarget.tcc(
        url.resolve(Operation.TRY.code()),
        url.resolve(Operation.CONFIRM.code()),
        url.resolve(Operation.CANCEL.code()),
        body);
  }

  /** DbParticipants serves every operation on one URL, telling them apart by Cohort-Op. */
  private static HttpTarget dbTcc(URI url, String body) {
    return HttpTarget.tcc(url, url, url, body);
  }

  private static HttpTarget saga(URI url, String body) {
    return HttpTarget.saga(
        url.resolve(Operation.ACTION.code()), url.resolve(Operation.COMPENSATE.code()), body);
  }

  /** The same one-shot with presumed abort: the decision is the first log write. */
  private static CreateRequest presumedAbort(CreateRequest r) {
    return new CreateRequest(
        r.mode(), r.gid(), r.timeoutMs(), r.parallel(), true, r.branches(), r.submit());
  }

  private static CreateRequest oneShot(Mode mode, List<ObjectNode> branches) {
    return new CreateRequest(mode.code(), null, null, null, branches, true);
  }

  /**
   * A commit answered: {@code committed}, or {@code committing} — what the server answers when the
   * final write is not awaited (the default): every confirm or step was delivered and the decision
   * is durable, only the end-of-transaction write is still queued, and the answer never runs ahead
   * of the log (docs/server.md, {@code --await-final-write}).
   */
  private static void expectCommitted(OutcomeBody outcome) {
    if (!GlobalStatus.COMMITTED.code().equals(outcome.status())
        && !GlobalStatus.COMMITTING.code().equals(outcome.status())) {
      throw new IllegalStateException("expected committed or committing: " + outcome);
    }
  }

  /** The participant calls made directly, as the baseline: a no-op handler over keep-alive. */
  private record Client(HttpClient http) {
    /** A participant call made directly, as the baseline: same client, same no-op handler. */
    void call(URI url) throws IOException, InterruptedException {
      HttpRequest request =
          HttpRequest.newBuilder(url)
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}"))
              .build();
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status != 200) {
        throw new IllegalStateException(url + " answered " + status);
      }
    }
  }

  private static Result run(
      ClosedLoop.Task tx, int callers, int warmupSeconds, int seconds, long serverPid)
      throws InterruptedException {
    long[] cpu = new long[2];
    ClosedLoop.Result r =
        ClosedLoop.run(
            tx,
            callers,
            warmupSeconds,
            seconds,
            false,
            () -> cpu[0] = cpuTicks(serverPid),
            () -> cpu[1] = cpuTicks(serverPid));
    double transactions = r.perSecond() * seconds;
    double micros =
        serverPid <= 0 || cpu[0] < 0 || cpu[1] < 0 || transactions == 0
            ? Double.NaN
            : (cpu[1] - cpu[0]) * (1e6 / CLOCK_TICKS_PER_SECOND) / transactions;
    return new Result(r.perSecond(), r.p50Millis(), r.p99Millis(), r.errors(), micros);
  }

  /** Linux's USER_HZ: /proc/PID/stat counts CPU time in these. */
  private static final double CLOCK_TICKS_PER_SECOND = 100;

  /** User + system CPU time of process {@code pid} in clock ticks; -1 when unknown. */
  private static long cpuTicks(long pid) {
    if (pid <= 0) {
      return -1;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // Fields after the command name (which may hold spaces) in parentheses; utime and stime
      // are fields 14 and 15 of the whole line.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
