package dev.cohort.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.cohort.api.Gid;
import dev.cohort.protocol.CallSignature;
import dev.cohort.protocol.CallSignatureException;
import dev.cohort.protocol.v1.Codec;
import dev.cohort.protocol.v1.Endpoint;
import dev.cohort.protocol.v1.ErrorBody;
import dev.cohort.protocol.v1.ErrorCode;
import dev.cohort.protocol.v1.Role;
import dev.cohort.server.ParticipantKey;
import dev.cohort.server.ServerMetrics;
import io.helidon.common.buffers.DataReader;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
 * error body of docs/protocol.md; checks the caller's credential against the endpoint's role, the
 * size and media type of POSTs; maps engine exceptions; records the request metric.
 */
public final class Router implements Handler {
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  /** Bodies above this are refused with 413 (docs/protocol.md). */
  public static final int MAX_BODY = 1024 * 1024;

  private static final String JSON_TYPE = "application/json";
  private static final HeaderName SIGNATURE = HeaderNames.create(CallSignature.SIGNATURE_HEADER);
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
  private final Access access;
  private final boolean openMetrics;
  private final BodyReads bodyReads;
  private final ErrorMapper errors;
  private final Map<Endpoint, Action> routes;

  /**
   * @param openMetrics whether {@code /metrics} answers without a token (a scraper that cannot send
   *     one)
   */
  public Router(
      Api api,
      Health health,
      ServerMetrics metrics,
      Access access,
      boolean openMetrics,
      BodyReads bodyReads,
      ErrorMapper errors) {
    this.api = api;
    this.health = health;
    this.metrics = metrics;
    this.access = access;
    this.openMetrics = openMetrics;
    this.bodyReads = bodyReads;
    this.errors = errors;
    this.routes = routes();
  }

  /**
   * Who called: a token's holder, or a participant that signed its request (only the outcome query
   * accepts that); both null for an open endpoint.
   */
  private record Caller(Access.Principal principal, ParticipantKey participant) {}

  /** What an endpoint does with its gid (null when its path has none) and its request. */
  @FunctionalInterface
  private interface Action {
    Api.Reply handle(Gid gid, ServerRequest req, ServerResponse res, Caller caller);
  }

  /**
   * The route table: one action per endpoint of the protocol, none left out (checked here, so an
   * endpoint added to the protocol without an action fails at start, not as a fall-through).
   */
  private Map<Endpoint, Action> routes() {
    Map<Endpoint, Action> table = new EnumMap<>(Endpoint.class);
    table.put(Endpoint.HEALTH, (gid, req, res, c) -> health.check());
    table.put(Endpoint.METRICS, (gid, req, res, c) -> metrics(res));
    table.put(Endpoint.LIST, (gid, req, res, c) -> api.list(query(req)));
    table.put(Endpoint.CREATE, (gid, req, res, c) -> api.create(Body.parse(readBody(req))));
    table.put(Endpoint.SHOW, (gid, req, res, c) -> api.show(gid));
    table.put(
        Endpoint.OUTCOME,
        (gid, req, res, c) ->
            c.participant() == null ? api.outcome(gid) : api.outcome(gid, c.participant()));
    table.put(
        Endpoint.REGISTER, (gid, req, res, c) -> api.register(gid, Body.parse(readBody(req))));
    table.put(Endpoint.COMMIT, (gid, req, res, c) -> api.commit(noFields(req, gid)));
    table.put(Endpoint.SUBMIT, (gid, req, res, c) -> api.commit(noFields(req, gid)));
    table.put(Endpoint.ABORT, (gid, req, res, c) -> api.abort(noFields(req, gid)));
    table.put(Endpoint.RETRY, (gid, req, res, c) -> api.retry(noFields(req, gid)));
    table.put(Endpoint.RESOLVE, (gid, req, res, c) -> api.resolve(gid, Body.parse(readBody(req))));
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
      Caller caller = authorize(endpoint, req);
      Api.Reply reply = routes.get(endpoint).handle(gid, req, res, caller);
      status = reply.status();
      if (reply.body() != null) {
        send(res, status, reply.body());
      }
    } catch (ApiException e) {
      status = e.status();
      sendError(res, e);
    } catch (BodyReads.StalledException e) {
      // The connection is closed already; there is no one to answer.
      LOG.info(
          "closed a connection from {} that stalled in the body of {} {}: {}",
          req.remotePeer().host(),
          method,
          label,
          e.getMessage());
      status = 408;
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

  /**
   * The caller, checked against the endpoint's role (docs/protocol.md, "Authentication"): no
   * credential is a 401; a token the server does not have, a role below the endpoint's or a refused
   * participant signature a 403. Each message says what to send instead.
   */
  private Caller authorize(Endpoint endpoint, ServerRequest req) {
    Optional<Role> needed = endpoint.role();
    if (needed.isEmpty() || (endpoint == Endpoint.METRICS && openMetrics)) {
      return new Caller(null, null);
    }
    Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
    if (header.isEmpty()
        && endpoint.acceptsParticipantSignature()
        && req.headers().contains(SIGNATURE)) {
      return new Caller(null, participant(req));
    }
    if (header.isEmpty() || !header.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiException(
          ErrorCode.UNAUTHORIZED,
          endpoint.method()
              + " "
              + endpoint.template()
              + " needs 'Authorization: Bearer <token>' with a "
              + needed.get().code()
              + (needed.get() == Role.OPERATOR ? "" : " (or higher)")
              + " token"
              + (endpoint.acceptsParticipantSignature()
                  ? ", or a participant's signed request (Cohort-Timestamp, Cohort-Signature)"
                  : "")
              + "; see docs/protocol.md, Authentication",
          null,
          null,
          null);
    }
    Access.Principal principal =
        access
            .token(header.get().substring(7).trim())
            .orElseThrow(() ->
                new ApiException(
                    ErrorCode.FORBIDDEN,
                    "the bearer token is not one of this server's tokens; use a token the server"
                        + " was started with (--token, --tokens-file)",
                    null,
                    null,
                    null));
    if (!principal.role().covers(needed.get())) {
      throw new ApiException(
          ErrorCode.FORBIDDEN,
          "token '"
              + principal.tokenId()
              + "' has role "
              + principal.role().code()
              + "; "
              + endpoint.method()
              + " "
              + endpoint.template()
              + " needs "
              + needed.get().code()
              + (needed.get() == Role.OPERATOR ? "" : " or higher")
              + " (docs/server.md, Roles and tokens)",
          null,
          null,
          null);
    }
    return new Caller(principal, null);
  }

  /** The participant whose key signed this outcome query; a refused signature is a 403. */
  private ParticipantKey participant(ServerRequest req) {
    try {
      return access.participant(
          req.prologue().method().text(),
          req.path().rawPath(),
          name -> req.headers().first(HeaderNames.create(name)).orElse(null),
          new byte[0]);
    } catch (CallSignatureException e) {
      String why =
          switch (e.reason()) {
            case UNKNOWN_KEY -> "its key id is not one of this server's participant keys";
            case FORGED -> "the signature does not match method, path, timestamp and body";
            case STALE -> "its Cohort-Timestamp is outside the allowed clock skew";
            case REPLAYED -> "this exact request was already answered (a replay)";
            case MALFORMED, UNSIGNED -> e.getMessage();
          };
      throw new ApiException(
          ErrorCode.FORBIDDEN,
          "the participant signature was refused: "
              + why
              + "; sign each query afresh with your participant key (docs/protocol.md, Signed"
              + " requests)",
          null,
          null,
          null);
    }
  }

  /**
   * The body of an endpoint that takes no fields: none, or an empty JSON object. Anything else is a
   * 400, so that a malformed request is never taken for a valid one.
   *
   * @return {@code gid}, once the body passed
   */
  private Gid noFields(ServerRequest req, Gid gid) {
    byte[] bytes = readBody(req);
    if (bytes.length > 0) {
      Body.parse(bytes).rejectUnknown(Set.of());
    }
    return gid;
  }

  private byte[] readBody(ServerRequest req) {
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
      byte[] bytes = bodyReads.read(in, MAX_BODY + 1);
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
}
