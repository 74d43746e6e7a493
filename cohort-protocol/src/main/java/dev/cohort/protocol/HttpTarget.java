package dev.cohort.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where an HTTP branch's participant lives: its URLs and the JSON body every call carries. The
 * engine records branches by participant name and payload; an HTTP branch is recorded under the
 * participant name {@link #PARTICIPANT} with this target, encoded by {@link #encode()}, as its
 * payload, so that after a crash any node can call the same URLs with the same body again.
 *
 * <p>Which operations have a URL is the mode's {@link BranchShape}. Use {@link #tcc}, {@link
 * #saga}, {@link #xa}, {@link #threePc}, {@link #msgCheck} and {@link #msgReceive} rather than the
 * canonical constructor.
 *
 * @param urls one URL per operation of the shape (one in all for a {@link
 *     BranchShape#oneOperation()} shape)
 * @param body the JSON text sent as the body of every call ({@code null} JSON when absent)
 */
public record HttpTarget(BranchShape shape, Map<Operation, URI> urls, String body) {
  /** The participant name HTTP branches are registered and logged under. */
  public static final String PARTICIPANT = "http";

  private static final ObjectMapper JSON = new ObjectMapper();

  public HttpTarget {
    Objects.requireNonNull(shape, "shape");
    Map<Operation, URI> checked = new EnumMap<>(Operation.class);
    if (!shape.operations().containsAll(urls.keySet())) {
      throw new InvalidInputException(
          "a " + shape.mode().code() + " branch has URLs for " + codes(shape) + " only");
    }
    if (shape.oneOperation()) {
      if (urls.size() != 1) {
        throw new InvalidInputException(
            "a "
                + shape.mode().code()
                + " branch has exactly one URL, for one of: "
                + codes(shape)
                + " (it has "
                + urls.size()
                + ")");
      }
      urls.forEach((op, url) -> checked.put(op, checked(op.code(), url)));
    } else {
      for (Operation op : shape.operations()) {
        checked.put(op, checked(op.code(), urls.get(op)));
      }
    }
    urls = Collections.unmodifiableMap(checked);
    body = body == null ? "null" : body;
  }

  public static HttpTarget tcc(URI tryUrl, URI confirmUrl, URI cancelUrl, String body) {
    Map<Operation, URI> urls = new EnumMap<>(Operation.class);
    urls.put(Operation.TRY, tryUrl);
    urls.put(Operation.CONFIRM, confirmUrl);
    urls.put(Operation.CANCEL, cancelUrl);
    return new HttpTarget(BranchShape.TCC, urls, body);
  }

  public static HttpTarget saga(URI actionUrl, URI compensateUrl, String body) {
    Map<Operation, URI> urls = new EnumMap<>(Operation.class);
    urls.put(Operation.ACTION, actionUrl);
    urls.put(Operation.COMPENSATE, compensateUrl);
    return new HttpTarget(BranchShape.SAGA, urls, body);
  }

  /** A two-phase-commit branch: prepare, commit and rollback URLs (docs/protocol.md). */
  public static HttpTarget xa(URI prepareUrl, URI commitUrl, URI rollbackUrl, String body) {
    Map<Operation, URI> urls = new EnumMap<>(Operation.class);
    urls.put(Operation.PREPARE, prepareUrl);
    urls.put(Operation.COMMIT, commitUrl);
    urls.put(Operation.ROLLBACK, rollbackUrl);
    return new HttpTarget(BranchShape.XA, urls, body);
  }

  /**
   * A three-phase-commit branch: one URL for all four calls (the {@code Cohort-Op} header names the
   * call), as a participant endpoint usually serves them.
   */
  public static HttpTarget threePc(URI url, String body) {
    Map<Operation, URI> urls = new EnumMap<>(Operation.class);
    for (Operation op : BranchShape.THREE_PC.operations()) {
      urls.put(op, url);
    }
    return new HttpTarget(BranchShape.THREE_PC, urls, body);
  }

  /**
   * The first branch of a reliable message ({@code msg}): where the coordinator checks back whether
   * the service's local transaction committed (docs/protocol.md, "Check-back").
   */
  public static HttpTarget msgCheck(URI checkUrl, String body) {
    return new HttpTarget(BranchShape.MSG, Map.of(Operation.CHECK, checkUrl), body);
  }

  /** A receiver of a reliable message ({@code msg}): where the committed message is delivered. */
  public static HttpTarget msgReceive(URI receiveUrl, String body) {
    return new HttpTarget(BranchShape.MSG, Map.of(Operation.RECEIVE, receiveUrl), body);
  }

  public Mode mode() {
    return shape.mode();
  }

  /** Whether this branch has a URL for {@code op}. */
  public boolean carries(Operation op) {
    return urls.containsKey(op);
  }

  /** The URL for {@code op}; refuses an operation this branch's shape does not carry. */
  public URI url(Operation op) {
    URI url = urls.get(op);
    if (url == null) {
      throw new InvalidInputException(
          "a " + shape.mode().code() + " branch has no '" + op.code() + "' call");
    }
    return url;
  }

  /** The payload text the log stores for this branch. */
  public String encode() {
    ObjectNode node = JSON.createObjectNode();
    node.put("v", 1);
    node.put("mode", shape.mode().code());
    for (Map.Entry<Operation, URI> url : urls.entrySet()) {
      node.put(url.getKey().code(), url.getValue().toString());
    }
    node.put("body", body);
    return node.toString();
  }

  /** Reads a payload written by {@link #encode()}. */
  public static HttpTarget decode(String payload) {
    JsonNode node;
    try {
      node = JSON.readTree(payload == null ? "" : payload);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          "an HTTP branch payload must be the JSON HttpTarget.encode() writes: " + e.getMessage());
    }
    if (node == null || !node.isObject() || node.path("v").asInt() != 1) {
      throw new InvalidInputException(
          "an HTTP branch payload must be the JSON HttpTarget.encode() writes (version 1)");
    }
    BranchShape shape = BranchShape.of(Mode.fromCode(node.path("mode").asText("")));
    String body = node.path("body").isTextual() ? node.path("body").asText() : "null";
    return new HttpTarget(shape, readUrls(shape, node), body);
  }

  /**
   * The URLs of {@code shape}'s operations from the fields named by their codes; of a {@link
   * BranchShape#oneOperation()} shape, the fields that are present.
   */
  public static Map<Operation, URI> readUrls(BranchShape shape, JsonNode node) {
    Map<Operation, URI> urls = new EnumMap<>(Operation.class);
    for (Operation op : shape.operations()) {
      if (!shape.oneOperation() || node.hasNonNull(op.code())) {
        urls.put(op, parseUrl(op.code(), node.path(op.code()).asText(null)));
      }
    }
    return urls;
  }

  private static String codes(BranchShape shape) {
    return String.join(", ", shape.operations().stream().map(Operation::code).toList());
  }

  /** Parses a URL given by a user, saying which field was wrong and how. */
  public static URI parseUrl(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidInputException("'" + field + "' needs an absolute http(s) URL");
    }
    try {
      return checked(field, new URI(value));
    } catch (URISyntaxException e) {
      throw new InvalidInputException(
          "'" + field + "' is not a URL (" + e.getReason() + "): " + value);
    }
  }

  private static URI checked(String field, URI url) {
    if (url == null) {
      throw new InvalidInputException("'" + field + "' needs an absolute http(s) URL");
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
      throw new InvalidInputException(
          "'" + field + "' must be an absolute http or https URL, was '" + url + "'");
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      throw new InvalidInputException("'" + field + "' has no host: '" + url + "'");
    }
    return url;
  }
}
