package dev.cohort.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.cohort.api.Gid;
import dev.cohort.protocol.v1.Codec;
import dev.cohort.protocol.v1.Endpoint;
import dev.cohort.protocol.v1.ErrorBody;
import dev.cohort.protocol.v1.ErrorCode;
import dev.cohort.server.ServerMetrics;
import io.helidon.common.buffers.DataReader;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Helidon handler: a route table from the protocol's {@link Endpoint}s to actions. Matches
 * the path itself so that every answer, including unknown paths and wrong methods, has the JSON
 * error body of docs/protocol.md; checks the token, size and media type of POSTs; maps engine
 * exceptions; records the request metric.
 */
public final class Router implements Handler {
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  /** Bodies above this are refused with 413 (docs/protocol.md). */
  public static final int MAX_BODY = 1024 * 1024;

  private static final String JSON_TYPE = "application/json";
  private static final ObjectWriter ERRORS = Codec.JSON.writerFor(ErrorBody.class);

  /** One writer per body type, made on first use and reused for every reply of that type. */
  private static final ClassValue<ObjectWriter> WRITERS =
      new ClassValue<>() {
        @Override
        protected ObjectWriter computeValue(Class<?> type) {
          return Codec.JSON.writerFor(type);
        }
      };

  private final Api api;
  private final Health health;
  private final ServerMetrics metrics;
  private final byte[] tokenDigest;
  private final ErrorMapper errors;
  private final Map<Endpoint, Action> routes;

  public Router(Api api, Health health, ServerMetrics metrics, String token, ErrorMapper errors) {
    this.api = api;
    this.health = health;
    this.metrics = metrics;
    this.tokenDigest = sha256(token);
    this.errors = errors;
    this.routes = routes();
  }

  /** What an endpoint does with its gid (null when its path has none) and its request. */
  @FunctionalInterface
  private interface Action {
    Api.Reply handle(Gid gid, ServerRequest req, ServerResponse res);
  }

  /**
   * The route table: one action per endpoint of the protocol, none left out (checked here, so an
   * endpoint added to the protocol without an action fails at start, not as a fall-through).
   */
  private Map<Endpoint, Action> routes() {
    Map<Endpoint, Action> table = new EnumMap<>(Endpoint.class);
    table.put(Endpoint.HEALTH, (gid, req, res) -> health.check());
    table.put(Endpoint.METRICS, (gid, req, res) -> metrics(res));
    table.put(Endpoint.LIST, (gid, req, res) -> api.list(query(req)));
    table.put(Endpoint.CREATE, (gid, req, res) -> api.create(Body.parse(readBody(req))));
    table.put(Endpoint.SHOW, (gid, req, res) -> api.show(gid));
    table.put(Endpoint.OUTCOME, (gid, req, res) -> api.outcome(gid));
    table.put(Endpoint.REGISTER, (gid, req, res) -> api.register(gid, Body.parse(readBody(req))));
    table.put(Endpoint.COMMIT, (gid, req, res) -> api.commit(noFields(req, gid)));
    table.put(Endpoint.SUBMIT, (gid, req, res) -> api.commit(noFields(req, gid)));
    table.put(Endpoint.ABORT, (gid, req, res) -> api.abort(noFields(req, gid)));
    table.put(Endpoint.RETRY, (gid, req, res) -> api.retry(noFields(req, gid)));
    table.put(Endpoint.RESOLVE, (gid, req, res) -> api.resolve(gid, Body.parse(readBody(req))));
    for (Endpoint e : Endpoint.values()) {
      if (!table.containsKey(e)) {
        throw new IllegalStateException("the router has no action for " + e + " " + e.template());
      }
    }
    return table;
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    long started = System.nanoTime();
    String method = req.prologue().method().text();
    String label = "unmatched";
    String gidText = null;
    int status;
    try {
      Endpoint.Match match = match(req.path().rawPath());
      label = match.template();
      gidText = match.gid();
      Endpoint endpoint = endpoint(match, method, res);
      Gid gid = gidText == null ? null : Ids.gid(gidText, "gid");
      if (endpoint.method() == Endpoint.Method.POST) {
        authorize(req);
      }
      Api.Reply reply = routes.get(endpoint).handle(gid, req, res);
      status = reply.status();
      if (reply.body() != null) {
        send(res, status, reply.body());
      }
    } catch (ApiException e) {
      status = e.status();
      sendError(res, e);
    } catch (RuntimeException e) {
      ApiException mapped = errors.map(e, gidText);
      if (mapped.status() == 500) {
        LOG.error("bug: unexpected failure on " + method + " " + req.path().rawPath(), e);
      }
      status = mapped.status();
      sendError(res, mapped);
    }
    metrics.httpRequest(label, method, status, System.nanoTime() - started);
  }

  private Api.Reply metrics(ServerResponse res) {
    byte[] text = metrics.scrape().getBytes(StandardCharsets.UTF_8);
    res.status(200);
    res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
    res.send(text);
    return new Api.Reply(200, null);
  }

  /** The path's template, or a 404: an unknown path never reaches an action. */
  private static Endpoint.Match match(String rawPath) {
    Optional<Endpoint.Match> match;
    try {
      match = Endpoint.match(rawPath);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          null, "malformed percent-encoding in '" + Api.shorten(rawPath) + "'");
    }
    return match.orElseThrow(() ->
        ApiException.notFound(
            "no such path: "
                + Api.shorten(rawPath)
                + "; the API is under /v1/transactions (see docs/protocol.md)"));
  }

  /** The endpoint of the path for this method, or a 405 listing the methods it has. */
  private static Endpoint endpoint(Endpoint.Match match, String method, ServerResponse res) {
    Optional<Endpoint> endpoint = match.endpoint(method);
    if (endpoint.isPresent()) {
      return endpoint.get();
    }
    List<String> allowed = match.endpoints().stream().map(e -> e.method().name()).toList();
    res.header(HeaderNames.ALLOW, String.join(", ", allowed));
    throw new ApiException(
        ErrorCode.METHOD_NOT_ALLOWED,
        method + " is not allowed on " + match.template() + "; use " + String.join(" or ", allowed),
        null,
        null,
        null);
  }

  private void authorize(ServerRequest req) {
    Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
    if (header.isEmpty() || !header.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiException(
          ErrorCode.UNAUTHORIZED,
          "this request needs 'Authorization: Bearer <token>' (the server's API token)",
          null,
          null,
          null);
    }
    // Comparing digests keeps the time independent of where (and whether) the tokens differ.
    byte[] given = sha256(header.get().substring(7).trim());
    if (!MessageDigest.isEqual(given, tokenDigest)) {
      throw new ApiException(
          ErrorCode.FORBIDDEN, "the bearer token is not this server's API token", null, null, null);
    }
  }

  /**
   * The body of an endpoint that takes no fields: none, or an empty JSON object. Anything else is a
   * 400, so that a malformed request is never taken for a valid one.
   *
   * @return {@code gid}, once the body passed
   */
  private static Gid noFields(ServerRequest req, Gid gid) {
    byte[] bytes = readBody(req);
    if (bytes.length > 0) {
      Body.parse(bytes).rejectUnknown(Set.of());
    }
    return gid;
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
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
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
    } catch (IOException | UncheckedIOException e) {
      throw ApiException.badRequest(null, "the body could not be read: " + e.getMessage());
    } catch (DataReader.InsufficientDataAvailableException e) {
      throw ApiException.badRequest(
          null, "the body ended before the length its Content-Length header announced");
    }
  }

  private static ApiException tooLarge() {
    return new ApiException(
        ErrorCode.PAYLOAD_TOO_LARGE,
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

  private static void send(ServerResponse res, int status, Object body) {
    byte[] bytes;
    try {
      bytes = WRITERS.get(body.getClass()).writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a reply body could not be written as JSON", e);
    }
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, JSON_TYPE);
    res.send(bytes);
  }

  private static void sendError(ServerResponse res, ApiException e) {
    ErrorBody body =
        new ErrorBody(
            e.error(),
            e.getMessage(),
            e.field(),
            e.gid(),
            e.txStatus() == null ? null : e.txStatus().code());
    byte[] bytes;
    try {
      bytes = ERRORS.writeValueAsBytes(body);
    } catch (JsonProcessingException x) {
      throw new IllegalStateException("an error body could not be written as JSON", x);
    }
    res.status(e.status());
    res.header(HeaderNames.CONTENT_TYPE, JSON_TYPE);
    res.send(bytes);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
