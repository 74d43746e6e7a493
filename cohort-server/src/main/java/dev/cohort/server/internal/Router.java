package dev.cohort.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.api.Gid;
import dev.cohort.server.ServerMetrics;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Helidon handler: matches the path itself so that every answer, including unknown paths
 * and wrong methods, has the JSON error body of docs/protocol.md; checks the token, size and media
 * type of POSTs; maps engine exceptions; records the request metric.
 */
public final class Router implements Handler {
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  /** Bodies above this are refused with 413 (docs/protocol.md). */
  public static final int MAX_BODY = 1024 * 1024;

  private static final String JSON_TYPE = "application/json";

  private final Api api;
  private final Health health;
  private final ServerMetrics metrics;
  private final byte[] tokenDigest;
  private final ErrorMapper errors;

  public Router(Api api, Health health, ServerMetrics metrics, String token, ErrorMapper errors) {
    this.api = api;
    this.health = health;
    this.metrics = metrics;
    this.tokenDigest = sha256(token);
    this.errors = errors;
  }

  /** What a request asked for, once the path is matched. */
  private record Route(String template, List<String> methods, String gid, String action) {}

  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    long started = System.nanoTime();
    String method = req.prologue().method().text();
    Route route = null;
    int status;
    try {
      route = match(req.path().rawPath());
      Api.Reply reply = dispatch(route, method, req, res);
      status = reply.status();
      if (reply.body() != null) {
        send(res, status, reply.body());
      }
    } catch (ApiException e) {
      status = e.status();
      sendError(res, e);
    } catch (RuntimeException e) {
      ApiException mapped = errors.map(e, route == null ? null : route.gid());
      if (mapped.status() == 500) {
        LOG.error("bug: unexpected failure on " + method + " " + req.path().rawPath(), e);
      }
      status = mapped.status();
      sendError(res, mapped);
    }
    metrics.httpRequest(
        route == null ? "unmatched" : route.template(),
        method,
        status,
        System.nanoTime() - started);
  }

  private Api.Reply dispatch(Route route, String method, ServerRequest req, ServerResponse res) {
    if (!route.methods().contains(method)) {
      res.header(HeaderNames.ALLOW, String.join(", ", route.methods()));
      throw new ApiException(
          405,
          "method_not_allowed",
          method
              + " is not allowed on "
              + route.template()
              + "; use "
              + String.join(" or ", route.methods()),
          null,
          null,
          null);
    }
    switch (route.template()) {
      case "/health" -> {
        return health.check();
      }
      case "/metrics" -> {
        byte[] text = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        res.status(200);
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        res.send(text);
        return new Api.Reply(200, null);
      }
      default -> {
        // the /v1 routes below
      }
    }
    Gid gid = route.gid() == null ? null : Ids.gid(route.gid(), "gid");
    if (method.equals("GET")) {
      return switch (route.template()) {
        case "/v1/transactions" -> api.list(query(req));
        case "/v1/transactions/{gid}" -> api.show(gid);
        default -> api.outcome(gid);
      };
    }
    authorize(req);
    byte[] body = readBody(req);
    return switch (route.template()) {
      case "/v1/transactions" -> api.create(Body.parse(body));
      case "/v1/transactions/{gid}/branches" -> api.register(gid, Body.parse(body));
      case "/v1/transactions/{gid}/resolve" -> api.resolve(gid, Body.parse(body));
      case "/v1/transactions/{gid}/retry" -> api.retry(gid);
      case "/v1/transactions/{gid}/abort" -> api.abort(gid);
      default -> api.commit(gid);
    };
  }

  private static Route match(String rawPath) {
    String path =
        rawPath.length() > 1 && rawPath.endsWith("/")
            ? rawPath.substring(0, rawPath.length() - 1)
            : rawPath;
    if (path.equals("/health")) {
      return new Route("/health", List.of("GET"), null, null);
    }
    if (path.equals("/metrics")) {
      return new Route("/metrics", List.of("GET"), null, null);
    }
    String prefix = "/v1/transactions";
    if (path.equals(prefix)) {
      return new Route(prefix, List.of("GET", "POST"), null, null);
    }
    if (path.startsWith(prefix + "/")) {
      String[] parts = path.substring(prefix.length() + 1).split("/", -1);
      String gid = decode(parts[0]);
      if (parts.length == 1 && !gid.isEmpty()) {
        return new Route(prefix + "/{gid}", List.of("GET"), gid, null);
      }
      if (parts.length == 2 && !gid.isEmpty()) {
        String action = parts[1];
        switch (action) {
          case "outcome" -> {
            return new Route(prefix + "/{gid}/outcome", List.of("GET"), gid, action);
          }
          case "branches", "commit", "submit", "abort", "retry", "resolve" -> {
            String template = prefix + "/{gid}/" + (action.equals("submit") ? "commit" : action);
            return new Route(template, List.of("POST"), gid, action);
          }
          default -> {
            // unknown action: 404 below
          }
        }
      }
    }
    throw ApiException.notFound(
        "no such path: "
            + Api.shorten(rawPath)
            + "; the API is under /v1/transactions (see docs/protocol.md)");
  }

  private void authorize(ServerRequest req) {
    Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
    if (header.isEmpty() || !header.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiException(
          401,
          "unauthorized",
          "this request needs 'Authorization: Bearer <token>' (the server's API token)",
          null,
          null,
          null);
    }
    // Comparing digests keeps the time independent of where (and whether) the tokens differ.
    byte[] given = sha256(header.get().substring(7).trim());
    if (!MessageDigest.isEqual(given, tokenDigest)) {
      throw new ApiException(
          403, "forbidden", "the bearer token is not this server's API token", null, null, null);
    }
  }

  private static byte[] readBody(ServerRequest req) {
    if (!req.content().hasEntity()) {
      return new byte[0];
    }
    var length = req.headers().contentLength();
    if (length.isPresent() && length.getAsLong() > MAX_BODY) {
      throw tooLarge();
    }
    String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
    String base = type.split(";", -1)[0].trim().toLowerCase(Locale.ROOT);
    if (!base.equals(JSON_TYPE)) {
      throw new ApiException(
          415,
          "unsupported_media_type",
          "the body must be sent as 'Content-Type: application/json', was '"
              + Api.shorten(type)
              + "'",
          null,
          null,
          null);
    }
    try (InputStream in = req.content().inputStream()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw tooLarge();
      }
      return bytes;
    } catch (IOException e) {
      throw ApiException.badRequest(null, "the body could not be read: " + e.getMessage());
    }
  }

  private static ApiException tooLarge() {
    return new ApiException(
        413,
        "payload_too_large",
        "the body is larger than " + MAX_BODY + " bytes (1 MiB), the API's limit",
        null,
        null,
        null);
  }

  private static Map<String, String> query(ServerRequest req) {
    Map<String, String> params = new LinkedHashMap<>();
    String raw = req.query().rawValue();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (params.putIfAbsent(name, value) != null) {
        throw ApiException.badRequest(
            name, "query parameter '" + Api.shorten(name) + "' is given twice");
      }
    }
    return params;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(null, "malformed percent-encoding in '" + Api.shorten(s) + "'");
    }
  }

  private static void send(ServerResponse res, int status, JsonNode body) {
    byte[] bytes;
    try {
      bytes = Body.JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a reply body could not be written as JSON", e);
    }
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, JSON_TYPE);
    res.send(bytes);
  }

  private static void sendError(ServerResponse res, ApiException e) {
    ObjectNode node = Body.JSON.createObjectNode();
    node.put("error", e.error());
    node.put("message", e.getMessage());
    if (e.field() != null) {
      node.put("field", e.field());
    }
    if (e.gid() != null) {
      node.put("gid", e.gid());
    }
    if (e.txStatus() != null) {
      node.put("status", e.txStatus().code());
    }
    send(res, e.status(), node);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
