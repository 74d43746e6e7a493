package dev.cohort.protocol.v1;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every endpoint of the coordinator API: its method and path template. Clients build paths with
 * {@link #path}; the server matches a request's path with {@link #match} and routes by endpoint.
 */
public enum Endpoint {
  /** Open to anyone (load balancers); it reveals no transaction data. */
  HEALTH(Method.GET, "/health", null),
  METRICS(Method.GET, "/metrics", Role.READER),
  LIST(Method.GET, "/v1/transactions", Role.READER),
  CREATE(Method.POST, "/v1/transactions", Role.CLIENT),
  SHOW(Method.GET, "/v1/transactions/{gid}", Role.READER),
  /** Also answered to a participant that signs the request, for a gid with a branch of its own. */
  OUTCOME(Method.GET, "/v1/transactions/{gid}/outcome", Role.READER),
  REGISTER(Method.POST, "/v1/transactions/{gid}/branches", Role.CLIENT),
  COMMIT(Method.POST, "/v1/transactions/{gid}/commit", Role.CLIENT),
  SUBMIT(Method.POST, "/v1/transactions/{gid}/submit", Role.CLIENT),
  ABORT(Method.POST, "/v1/transactions/{gid}/abort", Role.CLIENT),
  RETRY(Method.POST, "/v1/transactions/{gid}/retry", Role.OPERATOR),
  RESOLVE(Method.POST, "/v1/transactions/{gid}/resolve", Role.OPERATOR);

  /** The HTTP methods the API uses. */
  public enum Method {
    GET,
    POST
  }

  private static final String GID = "{gid}";

  private final Method method;
  private final String template;
  private final String[] segments;
  private final Role role;

  Endpoint(Method method, String template, Role role) {
    this.method = method;
    this.template = template;
    this.segments = template.substring(1).split("/", -1);
    this.role = role;
  }

  public Method method() {
    return method;
  }

  /**
   * The least role a bearer token needs here (docs/protocol.md, "Authentication"); empty for an
   * endpoint open to anyone.
   */
  public Optional<Role> role() {
    return Optional.ofNullable(role);
  }

  /**
   * Whether a participant may call this endpoint with a request signed by its own key instead of a
   * token ({@link dev.cohort.protocol.CallSignature#signRequest}); only the outcome query.
   */
  public boolean acceptsParticipantSignature() {
    return this == OUTCOME;
  }

  /** The path with {@code {gid}} where the gid goes, as docs/protocol.md writes it. */
  public String template() {
    return template;
  }

  public boolean hasGid() {
    return template.contains(GID);
  }

  /** This endpoint's path (for an endpoint without a gid). */
  public String path() {
    if (hasGid()) {
      throw new IllegalArgumentException(template + " needs a gid: call path(gid)");
    }
    return template;
  }

  /** This endpoint's path for {@code gid}, percent-encoded as one path segment. */
  public String path(String gid) {
    if (!hasGid()) {
      throw new IllegalArgumentException(template + " has no gid");
    }
    return template.replace(GID, URLEncoder.encode(gid, StandardCharsets.UTF_8));
  }

  /** A request path matched to a template: the gid it names, decoded; null when it has none. */
  public record Match(String template, String gid) {
    /** The endpoints with this template (one per method). */
    public List<Endpoint> endpoints() {
      List<Endpoint> list = new ArrayList<>();
      for (Endpoint e : values()) {
        if (e.template.equals(template)) {
          list.add(e);
        }
      }
      return list;
    }

    /** The endpoint for {@code method}, empty when the path does not take it (a 405). */
    public Optional<Endpoint> endpoint(String method) {
      return endpoints().stream().filter(e -> e.method.name().equals(method)).findFirst();
    }
  }

  /**
   * The template {@code rawPath} matches (one trailing slash ignored), segment by segment: a {@code
   * {gid}} segment matches one non-empty segment. Empty for a path the API does not have.
   *
   * @throws IllegalArgumentException for malformed percent-encoding in the gid segment
   */
  public static Optional<Match> match(String rawPath) {
    String path =
        rawPath.length() > 1 && rawPath.endsWith("/")
            ? rawPath.substring(0, rawPath.length() - 1)
            : rawPath;
    if (!path.startsWith("/")) {
      return Optional.empty();
    }
    String[] parts = path.substring(1).split("/", -1);
    for (Endpoint any : ONE_PER_TEMPLATE) {
      if (any.segments.length != parts.length) {
        continue;
      }
      String gid = null;
      boolean matches = true;
      for (int i = 0; i < parts.length && matches; i++) {
        if (any.segments[i].equals(GID)) {
          gid = parts[i].isEmpty() ? null : URLDecoder.decode(parts[i], StandardCharsets.UTF_8);
          matches = gid != null;
        } else {
          matches = any.segments[i].equals(parts[i]);
        }
      }
      if (matches) {
        return Optional.of(new Match(any.template, gid));
      }
    }
    return Optional.empty();
  }

  /** The first endpoint of each template, in declaration order; matched against paths. */
  private static final List<Endpoint> ONE_PER_TEMPLATE = onePerTemplate();

  private static List<Endpoint> onePerTemplate() {
    Set<String> seen = new LinkedHashSet<>();
    List<Endpoint> list = new ArrayList<>();
    for (Endpoint e : values()) {
      if (seen.add(e.template)) {
        list.add(e);
      }
    }
    return List.copyOf(list);
  }
}
