package dev.cohort.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where an HTTP branch's participant lives: its URLs and the JSON body every call carries. The
 * engine records branches by participant name and payload; an HTTP branch is recorded under the
 * participant name {@link #PARTICIPANT} with this target, encoded by {@link #encode()}, as its
 * payload, so that after a crash any node can call the same URLs with the same body again.
 *
 * <p>For TCC, {@code first} / {@code second} / {@code undo} are try / confirm / cancel; for a saga
 * step, action / (none) / compensate. Use {@link #tcc} and {@link #saga} rather than the canonical
 * constructor.
 *
 * @param body the JSON text sent as the body of every call ({@code null} JSON when absent)
 */
public record HttpTarget(Mode mode, URI first, URI second, URI undo, String body) {
  /** The participant name HTTP branches are registered and logged under. */
  public static final String PARTICIPANT = "http";

  private static final ObjectMapper JSON = new ObjectMapper();

  public HttpTarget {
    Objects.requireNonNull(mode, "mode");
    if (!Mode.TCC.equals(mode) && !Mode.SAGA.equals(mode)) {
      throw new InvalidInputException(
          "HTTP branches exist for tcc and saga transactions, not " + mode.code());
    }
    body = body == null ? "null" : body;
  }

  public static HttpTarget tcc(URI tryUrl, URI confirmUrl, URI cancelUrl, String body) {
    return new HttpTarget(
        Mode.TCC,
        checked("try", tryUrl),
        checked("confirm", confirmUrl),
        checked("cancel", cancelUrl),
        body);
  }

  public static HttpTarget saga(URI actionUrl, URI compensateUrl, String body) {
    return new HttpTarget(
        Mode.SAGA, checked("action", actionUrl), null, checked("compensate", compensateUrl), body);
  }

  /** The URL for {@code op}: try, confirm, cancel (TCC) or action, compensate (saga). */
  public URI url(String op) {
    URI url =
        switch (op) {
          case "try", "action" -> first;
          case "confirm" -> second;
          case "cancel", "compensate" -> undo;
          default -> null;
        };
    if (url == null) {
      throw new InvalidInputException("a " + mode.code() + " branch has no '" + op + "' call");
    }
    return url;
  }

  /** The payload text the log stores for this branch. */
  public String encode() {
    ObjectNode node = JSON.createObjectNode();
    node.put("v", 1);
    node.put("mode", mode.code());
    if (Mode.TCC.equals(mode)) {
      node.put("try", first.toString());
      node.put("confirm", second.toString());
      node.put("cancel", undo.toString());
    } else {
      node.put("action", first.toString());
      node.put("compensate", undo.toString());
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
    Mode mode = Mode.fromCode(node.path("mode").asText(""));
    String body = node.path("body").isTextual() ? node.path("body").asText() : "null";
    return Mode.TCC.equals(mode)
        ? tcc(uri(node, "try"), uri(node, "confirm"), uri(node, "cancel"), body)
        : saga(uri(node, "action"), uri(node, "compensate"), body);
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

  private static URI uri(JsonNode node, String field) {
    return parseUrl(field, node.path(field).asText(null));
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
