package dev.cohort.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.CohortException;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.IllegalOperationException;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.api.UnknownTransactionException;
import dev.cohort.client.Branch;
import dev.cohort.client.BranchInfo;
import dev.cohort.client.Cohort;
import dev.cohort.client.CohortAuthException;
import dev.cohort.client.CohortTransportException;
import dev.cohort.client.Transaction;
import dev.cohort.client.TransactionInfo;
import dev.cohort.client.TransactionRolledBackException;
import dev.cohort.client.spi.Checks;
import dev.cohort.client.spi.LazyTransaction;
import dev.cohort.protocol.HttpTarget;
import dev.cohort.protocol.JdkHttp;
import dev.cohort.protocol.Snippets;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@link Cohort} over the server's HTTP API (docs/protocol.md, "Coordinator API"): one keep-alive
 * HTTP/1.1 client, a bearer token on every POST, the server's JSON errors turned into the
 * exceptions the embedded engine throws.
 */
public final class RemoteCohort implements Cohort {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SNIPPET_CHARS = 300;

  private final URI base;
  private final String token;
  private final Duration requestTimeout;
  private final HttpClient client;

  public RemoteCohort(URI server, String token, Duration connectTimeout, Duration requestTimeout) {
    this.base = checkServer(server);
    this.token = Objects.requireNonNull(token, "token");
    this.requestTimeout = requestTimeout;
    this.client = JdkHttp.client(connectTimeout);
  }

  /** The server's root URL without a trailing slash; refuses anything but http(s)://host[:port]. */
  public static URI checkServer(URI server) {
    if (server == null) {
      throw new InvalidInputException(
          "server must be the coordinator's URL, e.g. http://127.0.0.1:7070");
    }
    String scheme = server.getScheme() == null ? "" : server.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || server.getHost() == null) {
      throw new InvalidInputException(
          "server must be an absolute http(s) URL with a host, e.g. http://127.0.0.1:7070, was '"
              + server
              + "'");
    }
    if (server.getRawQuery() != null || server.getRawFragment() != null) {
      throw new InvalidInputException(
          "server URL '" + server + "' must not have a query or fragment");
    }
    String text = server.toString();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    return URI.create(text);
  }

  @Override
  public Transaction begin(Mode mode) {
    return begin(mode, null);
  }

  @Override
  public Transaction begin(Mode mode, Duration timeout) {
    Checks.require(mode);
    Checks.requireTimeout(timeout);
    JsonNode created = post("/v1/transactions", createBody(mode, null, timeout), null);
    return new RemoteTransaction(gidOf(created), mode);
  }

  @Override
  public Transaction beginLazily(Mode mode) {
    return beginLazily(mode, null);
  }

  @Override
  public Transaction beginLazily(Mode mode, Duration timeout) {
    return new LazyTransaction(new HttpLane(), mode, timeout, base.toString());
  }

  private static ObjectNode createBody(Mode mode, Gid gid, Duration timeout) {
    ObjectNode body = JSON.createObjectNode().put("mode", mode.code());
    if (gid != null) {
      body.put("gid", gid.value());
    }
    if (timeout != null) {
      body.put("timeoutMs", Math.max(1, timeout.toMillis()));
    }
    return body;
  }

  private ArrayNode branchList(List<Branch> branches) {
    ArrayNode list = JSON.createArrayNode();
    for (Branch b : branches) {
      list.add(branchJson(b));
    }
    return list;
  }

  /** A one-shot request; a refused TCC try is its outcome, as in the embedded engine. */
  private Outcome oneShot(ObjectNode body, Gid gid) {
    try {
      return outcomeOf(post("/v1/transactions", body, gid));
    } catch (TransactionRolledBackException e) {
      return e.outcome();
    }
  }

  private Outcome commitOf(Gid gid) {
    return outcomeOf(
        post("/v1/transactions/" + gid.value() + "/commit", JSON.createObjectNode(), gid));
  }

  private Outcome abortOf(Gid gid) {
    return outcomeOf(
        post("/v1/transactions/" + gid.value() + "/abort", JSON.createObjectNode(), gid));
  }

  private Outcome registerOf(Gid gid, Branch branch) {
    JsonNode answer =
        post("/v1/transactions/" + gid.value() + "/branches", branchJson(branch), gid);
    return new Outcome(gid, statusOf(answer), null);
  }

  /** The lazy transaction's calls as the documented requests (docs/protocol.md). */
  private final class HttpLane implements LazyTransaction.Lane {
    @Override
    public Outcome openWith(Gid gid, Mode mode, Duration timeout, Branch first) {
      ObjectNode body = createBody(mode, gid, timeout);
      body.set("branches", branchList(List.of(first)));
      return new Outcome(gid, statusOf(post("/v1/transactions", body, gid)), null);
    }

    @Override
    public Outcome register(Gid gid, Branch branch) {
      return registerOf(gid, branch);
    }

    @Override
    public Outcome submit(Gid gid, Duration timeout, List<Branch> steps) {
      ObjectNode body = createBody(Mode.SAGA, gid, timeout).put("submit", true);
      body.set("branches", branchList(steps));
      return oneShot(body, gid);
    }

    @Override
    public Outcome commitEmpty(Gid gid, Mode mode) {
      return outcomeOf(
          post("/v1/transactions", createBody(mode, gid, null).put("submit", true), gid));
    }

    @Override
    public Outcome commit(Gid gid) {
      return commitOf(gid);
    }

    @Override
    public Outcome abort(Gid gid) {
      return abortOf(gid);
    }

    @Override
    public void check(Branch branch) {
      var unused = branchJson(branch);
    }
  }

  @Override
  public Outcome run(Mode mode, List<Branch> branches) {
    Checks.require(mode);
    Checks.requireBranches(mode, branches);
    ObjectNode body = createBody(mode, null, null).put("submit", true);
    body.set("branches", branchList(branches));
    return oneShot(body, null);
  }

  @Override
  public Outcome outcome(Gid gid) {
    Objects.requireNonNull(gid, "gid");
    return outcomeOf(get("/v1/transactions/" + gid.value(), gid));
  }

  @Override
  public TransactionInfo status(Gid gid) {
    Objects.requireNonNull(gid, "gid");
    JsonNode t = get("/v1/transactions/" + gid.value(), gid);
    Mode mode = parse("mode", () -> Mode.fromCode(t.path("mode").asText()));
    List<BranchInfo> branches = new ArrayList<>();
    for (JsonNode b : t.path("branches")) {
      branches.add(branchInfo(mode, b));
    }
    return new TransactionInfo(
        gidOf(t),
        mode,
        statusOf(t),
        text(t, "reason"),
        instant(t, "createdAt"),
        instant(t, "updatedAt"),
        instant(t, "deadline"),
        t.path("attempts").asInt(0),
        branches);
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "Cohort[" + base + ", token=<redacted>]";
  }

  private ObjectNode branchJson(Branch b) {
    HttpTarget target =
        b.httpTarget()
            .orElseThrow(() ->
                new InvalidInputException(
                    "branch '"
                        + b.id()
                        + "' is in-process (participant '"
                        + b.participant()
                        + "'): a coordinator server cannot call into this JVM; use"
                        + " Branch.tcc(...) or Branch.saga(...) with the participant's URLs"));
    ObjectNode node = JSON.createObjectNode().put("branchId", b.id().value());
    if (Mode.TCC.equals(target.mode())) {
      node.put("try", target.first().toString())
          .put("confirm", target.second().toString())
          .put("cancel", target.undo().toString());
    } else {
      node.put("action", target.first().toString())
          .put("compensate", target.undo().toString())
          .put("recovery", b.forwardRecovery() ? "forward" : "backward");
    }
    try {
      node.set("payload", JSON.readTree(target.body()));
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("branch '" + b.id() + "' payload is not JSON text");
    }
    return node;
  }

  private static BranchInfo branchInfo(Mode mode, JsonNode b) {
    BranchId id = parse("branchId", () -> BranchId.of(b.path("branchId").asText()));
    BranchStatus status = parse("status", () -> BranchStatus.fromCode(b.path("status").asText()));
    String payload = b.has("payload") ? b.get("payload").toString() : "null";
    HttpTarget target = null;
    if (Mode.TCC.equals(mode) && b.hasNonNull("try")) {
      target =
          parse(
              "try",
              () ->
                  HttpTarget.tcc(
                      URI.create(b.path("try").asText()),
                      URI.create(b.path("confirm").asText()),
                      URI.create(b.path("cancel").asText()),
                      payload));
    } else if (Mode.SAGA.equals(mode) && b.hasNonNull("action")) {
      target =
          parse(
              "action",
              () ->
                  HttpTarget.saga(
                      URI.create(b.path("action").asText()),
                      URI.create(b.path("compensate").asText()),
                      payload));
    }
    return new BranchInfo(
        id,
        status,
        target != null ? HttpTarget.PARTICIPANT : text(b, "participant"),
        target,
        payload,
        "forward".equals(b.path("recovery").asText()),
        b.path("attempts").asInt(0),
        text(b, "lastError"));
  }

  // --- HTTP ---

  private JsonNode post(String path, ObjectNode body, Gid gid) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(requestTimeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
            .build();
    return exchange(request, gid);
  }

  private JsonNode get(String path, Gid gid) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(requestTimeout)
            .header("Accept", "application/json")
            .GET()
            .build();
    return exchange(request, gid);
  }

  private JsonNode exchange(HttpRequest request, Gid gid) {
    String what = request.method() + " " + request.uri().getPath();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw new CohortTransportException(
          what
              + ": no answer from the coordinator at "
              + base
              + " within "
              + requestTimeout.toMillis()
              + " ms; the request may have taken effect"
              + (gid == null ? "" : ", ask outcome(" + gid + ")"),
          -1,
          e);
    } catch (IOException e) {
      throw new CohortTransportException(
          what + ": could not reach the coordinator at " + base + " (" + e + ")", -1, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CohortTransportException(what + ": interrupted", -1, e);
    }
    int status = response.statusCode();
    JsonNode body = parseBody(response.body());
    if (status >= 200 && status < 300) {
      if (body == null || !body.isObject()) {
        throw new CohortTransportException(
            what
                + ": the coordinator answered "
                + status
                + " without a JSON object: "
                + snippet(response.body()),
            status,
            null);
      }
      return body;
    }
    throw error(what, status, body, response.body(), gid);
  }

  private RuntimeException error(String what, int status, JsonNode body, String raw, Gid gid) {
    JsonNode b = body == null ? NullNode.getInstance() : body;
    String code = b.path("error").asText("");
    String message = b.path("message").isTextual() ? b.path("message").asText() : snippet(raw);
    switch (status) {
      case 400 -> {
        String field =
            b.path("field").isTextual() ? " (field '" + b.path("field").asText() + "')" : "";
        return new InvalidInputException(message + field);
      }
      case 401, 403 -> {
        return new CohortAuthException(
            status,
            what
                + ": the coordinator at "
                + base
                + " refused the token ("
                + status
                + " "
                + code
                + ": "
                + message
                + "); pass the token the server was started with (cohort server --token or"
                + " COHORT_TOKEN)");
      }
      case 404 -> {
        if (gid != null && "not_found".equals(code)) {
          return new UnknownTransactionException(gid);
        }
        return new CohortTransportException(
            what + ": not found at " + base + " (" + message + "); is this a Cohort server?",
            status,
            null);
      }
      case 409 -> {
        Gid subject = b.path("gid").isTextual() ? parse("gid", () -> gidOf(b)) : gid;
        GlobalStatus current =
            b.path("status").isTextual() ? parse("status", () -> statusOf(b)) : null;
        if ("refused".equals(code) && subject != null) {
          return new TransactionRolledBackException(
              new Outcome(subject, current == null ? GlobalStatus.ROLLED_BACK : current, message));
        }
        if (subject != null && current != null) {
          // The server's message is usually the engine's, which already names gid and status.
          String prefix = "transaction " + subject + " is " + current.code() + ": ";
          return new IllegalOperationException(
              subject,
              current,
              message.startsWith(prefix) ? message.substring(prefix.length()) : message);
        }
        return new CohortException(what + ": conflict: " + message);
      }
      case 503 -> {
        return new CohortTransportException(
            what + ": the coordinator's log is unavailable (503): " + message, status, null);
      }
      default -> {
        return new CohortTransportException(
            what + ": the coordinator answered " + status + " " + code + ": " + message,
            status,
            null);
      }
    }
  }

  private static JsonNode parseBody(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  // --- reading answers; a field that breaks the protocol is a transport error ---

  private static Outcome outcomeOf(JsonNode node) {
    return new Outcome(gidOf(node), statusOf(node), text(node, "reason"));
  }

  private static Gid gidOf(JsonNode node) {
    return parse("gid", () -> Gid.of(node.path("gid").asText(null)));
  }

  private static GlobalStatus statusOf(JsonNode node) {
    return parse("status", () -> GlobalStatus.fromCode(node.path("status").asText(null)));
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isNull() || v.isMissingNode() ? null : v.asText();
  }

  private static Instant instant(JsonNode node, String field) {
    String v = text(node, field);
    if (v == null) {
      return null;
    }
    return parse(field, () -> Instant.parse(v));
  }

  private static <T> T parse(String field, java.util.function.Supplier<T> reader) {
    try {
      return reader.get();
    } catch (InvalidInputException
        | IllegalArgumentException
        | DateTimeParseException
        | NullPointerException e) {
      throw new CohortTransportException(
          "the coordinator's answer has a bad '" + field + "' field: " + e.getMessage(), -1, e);
    }
  }

  private static String snippet(String raw) {
    return Snippets.of(raw, SNIPPET_CHARS);
  }

  private final class RemoteTransaction implements Transaction {
    private final Gid gid;
    private final Mode mode;

    RemoteTransaction(Gid gid, Mode mode) {
      this.gid = gid;
      this.mode = mode;
    }

    @Override
    public Gid gid() {
      return gid;
    }

    @Override
    public Mode mode() {
      return mode;
    }

    @Override
    public Transaction register(Branch branch) {
      Objects.requireNonNull(branch, "branch");
      branch.requireMode(mode);
      var unused = registerOf(gid, branch);
      return this;
    }

    @Override
    public Outcome commit() {
      return commitOf(gid);
    }

    @Override
    public Outcome abort() {
      return abortOf(gid);
    }

    @Override
    public String toString() {
      return "Transaction[" + gid + ", " + mode.code() + ", " + base + "]";
    }
  }
}
