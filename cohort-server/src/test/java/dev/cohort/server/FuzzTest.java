package dev.cohort.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.GlobalStatus;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throws 20,000 random and malformed requests at a running server (seeded, so a failure repeats),
 * one in twenty written straight to a socket (HTTP/1.0, cut-off requests, bodies nested thousands
 * deep, request lines and headers longer than the server reads, bytes that are not HTTP, and whole
 * requests sent slowly in pieces, which must be served), and checks the promise of
 * docs/protocol.md: bad input gets a 4xx with a JSON error body, never a 5xx, and the server and
 * its transactions stay sound.
 */
class FuzzTest {
  private static final long SEED = 20261121L;
  private static final int REQUESTS = 20_000;
  private static final int THREADS = 8;
  private static final int MAX_BODY = 1024 * 1024;
  private static final String TOKEN = "fuzz-token-0123456789abcdef";
  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};
  private static final String[] ACTIONS = {
    "",
    "/branches",
    "/commit",
    "/submit",
    "/abort",
    "/retry",
    "/resolve",
    "/outcome",
    "/nope",
    "/commit/x"
  };

  @TempDir Path dir;

  private final Set<String> created = ConcurrentHashMap.newKeySet();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final Map<Integer, LongAdder> statuses = new ConcurrentSkipListMap<>();
  private final LongAdder hugeNanos = new LongAdder();

  @Test
  void randomAndMalformedRequestsNeverGetA5xx() throws Exception {
    try (Participants participants = new Participants();
        CohortServer server =
            CohortServer.builder(JdbcTransactionStore.sqlite(dir.resolve("log.db")))
                .port(0)
                .token(TOKEN)
                .options(
                    CoordinatorOptions.newBuilder()
                        .initialBackoff(Duration.ofMillis(20))
                        .pollInterval(Duration.ofMillis(100))
                        .build())
                .httpParticipant(HttpParticipant.builder().unsigned().build())
                .build()
                .start()) {
      ApiClient api = new ApiClient(server.port(), TOKEN);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Random random = new Random(SEED + t);
        work.add(
            pool.submit(() -> {
              for (int i = 0; i < REQUESTS / THREADS; i++) {
                one(api, participants, random);
              }
            }));
      }
      for (Future<?> f : work) {
        f.get();
      }
      pool.shutdown();

      assertThat(failures).as("answers that broke the contract (first ones)").isEmpty();
      System.out.println(
          "fuzz answers by status: "
              + statuses
              + "; 413s took "
              + hugeNanos.sum() / 1_000_000
              + " ms");
      // the fuzz reached every kind of answer it is meant to provoke
      assertThat(statuses).containsKeys(200, 201, 400, 401, 403, 404, 405, 409, 413, 414, 415, 426);
      assertThat(api.get("/health").status()).isEqualTo(200);
      assertThat(created).isNotEmpty();
      for (String gid : created) {
        ApiClient.Answer shown = api.get("/v1/transactions/" + gid);
        assertThat(shown.status()).as(gid).isEqualTo(200);
        GlobalStatus status = GlobalStatus.fromCode(shown.field("status"));
        assertThat(status).isNotNull();
        for (JsonNode b : shown.body().get("branches")) {
          assertThat(BranchStatus.fromCode(b.get("status").asText())).isNotNull();
          if (status == GlobalStatus.COMMITTED) {
            assertThat(b.get("status").asText()).isIn("confirmed", "succeeded");
          }
          if (status == GlobalStatus.ROLLED_BACK) {
            assertThat(b.get("status").asText()).isIn("cancelled", "compensated", "skipped");
          }
        }
      }
    }
  }

  private void one(ApiClient api, Participants participants, Random random) {
    if (random.nextInt(20) == 0) {
      raw(api.port(), random);
      return;
    }
    String method;
    String path;
    String body;
    String token = TOKEN;
    String contentType = "application/json";
    int kind = random.nextInt(100);
    if (kind < 25) {
      method = "POST";
      path = "/v1/transactions";
      body = createBody(participants, random);
    } else if (kind < 45) {
      method = "POST";
      path = "/v1/transactions/" + someGid(random) + "/branches";
      body = branchBody(participants, random);
    } else if (kind < 60) {
      method = "POST";
      String[] ops = {"/commit", "/submit", "/abort", "/retry", "/resolve"};
      path = "/v1/transactions/" + someGid(random) + ops[random.nextInt(ops.length)];
      body = random.nextBoolean() ? null : mutate(random, "{\"reason\":\"by hand\"}");
    } else if (kind < 70) {
      method = "GET";
      path = "/v1/transactions/" + someGid(random) + (random.nextBoolean() ? "" : "/outcome");
      body = null;
    } else if (kind < 78) {
      method = "GET";
      path = "/v1/transactions?" + randomQuery(random);
      body = null;
    } else {
      method = METHODS[random.nextInt(METHODS.length)];
      path = randomPath(random);
      body = random.nextBoolean() ? null : randomString(random, random.nextInt(50));
    }
    int twist = random.nextInt(200);
    if (twist < 6) {
      token = null;
    } else if (twist < 12) {
      token = randomString(random, 20);
    } else if (twist < 18) {
      contentType = random.nextBoolean() ? "text/plain" : randomString(random, 8);
    } else if (twist == 18) {
      body = "{\"mode\":\"" + "a".repeat(MAX_BODY + random.nextInt(1000)) + "\"}";
      if (!method.equals("POST")) {
        method = "POST";
      }
    }
    send(api, method, path, body, token, contentType);
  }

  private void send(
      ApiClient api, String method, String path, String body, String token, String contentType) {
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(api) + path));
    } catch (IllegalArgumentException e) {
      return; // not a URI the client can send; nothing to learn
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      try {
        b.header("Content-Type", contentType);
      } catch (IllegalArgumentException e) {
        b.header("Content-Type", "text/plain");
      }
    }
    if (token != null) {
      try {
        b.header("Authorization", "Bearer " + token);
      } catch (IllegalArgumentException e) {
        b.header("Authorization", "Bearer x");
      }
    }
    long started = System.nanoTime();
    ApiClient.Answer answer = api.send(b);
    statuses.computeIfAbsent(answer.status(), k -> new LongAdder()).increment();
    if (answer.status() == 413) {
      hugeNanos.add(System.nanoTime() - started);
    }
    String what =
        method
            + " "
            + path
            + " "
            + shorten(body)
            + " → "
            + answer.status()
            + " "
            + shorten(answer.text());
    if (answer.status() >= 500) {
      fail(what);
      return;
    }
    if (answer.status() >= 400) {
      JsonNode error = answer.body();
      if (error == null
          || !error.path("error").isTextual()
          || error.path("message").asText("").isBlank()) {
        fail("error without a JSON error body: " + what);
      }
      return;
    }
    if (method.equals("POST") && path.equals("/v1/transactions") && answer.body() != null) {
      String gid = answer.field("gid");
      if (gid != null) {
        created.add(gid);
      }
    }
  }

  /** A request no HTTP client library would send, written to the socket as it is. */
  private void raw(int port, Random random) {
    String deep = "[".repeat(65 + random.nextInt(5000));
    int kind = random.nextInt(9);
    String request =
        switch (kind) {
          case 0 -> "GET /health HTTP/1.0\r\n\r\n";
          case 1 ->
              "POST /v1/transactions HTTP/1.0\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 15\r\n\r\n{\"mode\":\"tcc\"}";
          // Cut off inside the body: the client promised 500 bytes and stops.
          case 2 ->
              "POST /v1/transactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + "Authorization: Bearer "
                  + TOKEN
                  + "\r\nContent-Length: 500\r\n\r\n{\"mode\":";
          // Cut off inside the headers.
          case 3 -> "GET /v1/transactions HTTP/1.1\r\nHost: x\r\nAccept: appl";
          case 4 ->
              "POST /v1/transactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + "Authorization: Bearer "
                  + TOKEN
                  + "\r\nConnection: close\r\nContent-Length: "
                  + (deep.length() * 2)
                  + "\r\n\r\n"
                  + deep
                  + "]".repeat(deep.length());
          // A request line longer than the server reads (414).
          case 5 ->
              "GET /v1/transactions/"
                  + "a".repeat(4_000 + random.nextInt(60_000))
                  + " HTTP/1.1\r\nHost: x\r\n\r\n";
          // Headers larger than the server reads (a 400: docs/protocol.md, the 431 row).
          case 6 ->
              "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: "
                  + "b".repeat(20_000 + random.nextInt(60_000))
                  + "\r\n\r\n";
          // A slow but honest client: a whole request, sent in pieces with pauses (below).
          case 7 ->
              "POST /v1/transactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + "Authorization: Bearer "
                  + TOKEN
                  + "\r\nConnection: close\r\nContent-Length: 14\r\n\r\n{\"mode\":\"tcc\"}";
          default -> randomString(random, 1 + random.nextInt(40)) + "\r\n\r\n";
        };
    boolean slow = kind == 7;
    String answer;
    try (java.net.Socket socket =
        new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(20_000);
      byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
      int pieces = slow ? 2 + random.nextInt(4) : 1;
      for (int i = 0; i < pieces; i++) {
        if (i > 0) {
          Thread.sleep(1 + random.nextInt(20)); // the client is slow, not the test waiting
        }
        socket
            .getOutputStream()
            .write(
                bytes,
                i * bytes.length / pieces,
                (i + 1) * bytes.length / pieces - i * bytes.length / pieces);
        socket.getOutputStream().flush();
      }
      socket.shutdownOutput();
      answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (java.io.IOException e) {
      if (slow) {
        fail("a slow but whole request lost its connection: " + e);
        return;
      }
      // The server may close a connection it cannot read without answering (a reset is fine).
      statuses.computeIfAbsent(0, k -> new LongAdder()).increment();
      return;
    }
    String what = "raw " + shorten(request) + " → " + shorten(answer);
    if (slow) {
      if (!answer.startsWith("HTTP/1.1 201")) {
        fail("a slow but whole request was not served: " + what);
      }
      return;
    }
    if (answer.isEmpty()) {
      statuses.computeIfAbsent(0, k -> new LongAdder()).increment();
      return;
    }
    if (!answer.startsWith("HTTP/1.1 4")) {
      fail(what);
      return;
    }
    statuses
        .computeIfAbsent(Integer.parseInt(answer.substring(9, 12)), k -> new LongAdder())
        .increment();
    if (!answer.contains("\"error\":") || !answer.contains("\"message\":")) {
      fail("error without a JSON error body: " + what);
    }
  }

  private void fail(String what) {
    if (failures.size() < 10) {
      failures.add(what);
    }
  }

  private static int port(ApiClient api) {
    return api.port();
  }

  private String createBody(Participants participants, Random random) {
    String mode =
        random.nextInt(10) == 0 ? randomString(random, 4) : (random.nextBoolean() ? "tcc" : "saga");
    StringBuilder json = new StringBuilder("{\"mode\":\"").append(escape(mode)).append('"');
    if (random.nextInt(3) == 0) {
      json.append(",\"gid\":\"")
          .append(
              escape(
                  random.nextInt(4) == 0 ? randomString(random, 10) : "fz-" + random.nextInt(400)))
          .append('"');
    }
    if (random.nextInt(4) == 0) {
      json.append(",\"timeoutMs\":")
          .append(
              random.nextInt(5) == 0 ? "\"x\"" : Long.toString(random.nextLong() % 100_000_000));
    }
    if (random.nextInt(5) == 0) {
      json.append(",\"submit\":true,\"branches\":[");
      int n = random.nextInt(3);
      for (int i = 0; i < n; i++) {
        json.append(i == 0 ? "" : ",").append(branchJson(participants, random, mode, "b" + i));
      }
      json.append(']');
    }
    json.append('}');
    return mutate(random, json.toString());
  }

  private String branchBody(Participants participants, Random random) {
    String mode = random.nextBoolean() ? "tcc" : "saga";
    return mutate(random, branchJson(participants, random, mode, "br-" + random.nextInt(5)));
  }

  private static String branchJson(
      Participants participants, Random random, String mode, String id) {
    String payload =
        random.nextBoolean()
            ? "{\"n\":" + random.nextInt() + "}"
            : "\"" + escape(randomString(random, 8)) + "\"";
    if (mode.equals("tcc")) {
      return "{\"branchId\":\""
          + id
          + "\",\"try\":\""
          + participants.url("/p/try")
          + "\",\"confirm\":\""
          + participants.url("/p/confirm")
          + "\",\"cancel\":\""
          + participants.url("/p/cancel")
          + "\",\"payload\":"
          + payload
          + "}";
    }
    return "{\"branchId\":\""
        + id
        + "\",\"action\":\""
        + participants.url("/p/action")
        + "\",\"compensate\":\""
        + participants.url("/p/compensate")
        + "\",\"payload\":"
        + payload
        + (random.nextBoolean() ? ",\"recovery\":\"forward\"" : "")
        + "}";
  }

  /** Leaves the JSON alone half the time; otherwise breaks it in one of several ways. */
  private static String mutate(Random random, String json) {
    return switch (random.nextInt(14)) {
      case 0 -> json.substring(0, random.nextInt(json.length()));
      case 1 -> json.replace("\"", "");
      case 2 -> json.replaceFirst(":\"[^\"]*\"", ":" + random.nextInt());
      case 3 -> json.replaceFirst(":\"[^\"]*\"", ":[1,{\"a\":null}]");
      case 4 ->
          json.replaceFirst(
              "\\{", Matcher.quoteReplacement("{\"" + escape(randomString(random, 5)) + "\":1,"));
      case 5 -> "[" + json + "]";
      case 6 -> "{\"a\":".repeat(2000) + "1" + "}".repeat(2000);
      default -> json;
    };
  }

  private String someGid(Random random) {
    int pick = random.nextInt(10);
    if (pick < 6 && !created.isEmpty()) {
      List<String> gids = new ArrayList<>(created);
      return gids.get(random.nextInt(gids.size()));
    }
    if (pick < 8) {
      return "unknown-" + random.nextInt(1000);
    }
    return encode(randomString(random, 1 + random.nextInt(200)));
  }

  private static String randomQuery(Random random) {
    String[] names = {"status", "mode", "olderThanMs", "newerThanMs", "q", "limit", "after", "zzz"};
    String[] values = {
      "failed", "open,committed", "bogus", "tcc", "saga", "-1", "0", "501", "50", "abc", "", "fz-1"
    };
    StringBuilder q = new StringBuilder();
    int n = random.nextInt(4);
    for (int i = 0; i < n; i++) {
      q.append(i == 0 ? "" : "&")
          .append(names[random.nextInt(names.length)])
          .append('=')
          .append(
              random.nextInt(5) == 0
                  ? encode(randomString(random, 6))
                  : values[random.nextInt(values.length)]);
    }
    return q.toString();
  }

  private static String randomPath(Random random) {
    String[] roots = {
      "/v1/transactions/",
      "/v1/",
      "/",
      "/health/",
      "/metrics",
      "/v1/transactions",
      "/v2/transactions/"
    };
    return roots[random.nextInt(roots.length)]
        + encode(randomString(random, random.nextInt(12)))
        + ACTIONS[random.nextInt(ACTIONS.length)];
  }

  /** Random text over ASCII, Latin, CJK, emoji and control characters. */
  static String randomString(Random random, int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int cp =
          switch (random.nextInt(5)) {
            case 0 -> 0x20 + random.nextInt(0x5f);
            case 1 -> 0xa0 + random.nextInt(0x100);
            case 2 -> 0x4e00 + random.nextInt(0x5000);
            case 3 -> 0x1f600 + random.nextInt(0x50);
            default -> random.nextInt(0x20);
          };
      s.appendCodePoint(cp);
    }
    return s.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String escape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String shorten(String s) {
    if (s == null) {
      return "-";
    }
    return s.length() > 120 ? s.substring(0, 120) + "..." : s;
  }
}
