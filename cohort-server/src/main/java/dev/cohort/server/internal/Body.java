package dev.cohort.server.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;

/**
 * A request's JSON object with typed, validating getters: each wrong field becomes a 400 naming it.
 */
public final class Body {
  /**
   * How deep a request body may nest, the branch payloads in it included. Far below Jackson's own
   * limit (1000), so that whatever is accepted can also be written back inside the transaction view
   * (which nests a payload a few levels deeper); refused at input, never at output.
   */
  public static final int MAX_DEPTH = 64;

  /** Shared and thread-safe; reads refuse bodies nested deeper than {@link #MAX_DEPTH}. */
  public static final ObjectMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private final ObjectNode node;
  private final String where;

  private Body(ObjectNode node, String where) {
    this.node = node;
    this.where = where;
  }

  /** Parses a request body that must be one JSON object. */
  public static Body parse(byte[] bytes) {
    if (bytes.length == 0) {
      throw ApiException.badRequest(null, "the request needs a JSON object body");
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (StreamConstraintsException e) {
      throw ApiException.badRequest(
          null,
          "the body nests deeper than "
              + MAX_DEPTH
              + " levels (objects and arrays, payloads included), the API's limit");
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(null, "malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest(null, "unreadable body: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw ApiException.badRequest(
          null,
          "the body must be a JSON object, was "
              + (root == null
                  ? "empty"
                  : root.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
    }
    return new Body((ObjectNode) root, "");
  }

  /** A nested object, e.g. one element of {@code branches}, with field names prefixed. */
  public static Body nested(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest(where, "'" + where + "' must be a JSON object");
    }
    return new Body((ObjectNode) node, where + ".");
  }

  public void rejectUnknown(Set<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        throw ApiException.badRequest(
            where + name,
            "unknown field '"
                + where
                + name
                + "'; known fields: "
                + String.join(", ", sorted(known)));
      }
    }
  }

  public boolean has(String name) {
    JsonNode v = node.get(name);
    return v != null && !v.isNull();
  }

  /** A string field, or null when absent or JSON null. */
  public String text(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw ApiException.badRequest(
          where + name, "field '" + where + name + "' must be a string, was " + describe(v));
    }
    return v.asText();
  }

  public String requiredText(String name) {
    String v = text(name);
    if (v == null) {
      throw ApiException.badRequest(where + name, "field '" + where + name + "' is required");
    }
    return v;
  }

  /** A whole number in [min, max], or {@code fallback} when absent. */
  public long integer(String name, long min, long max, long fallback) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
      throw ApiException.badRequest(
          where + name,
          "field '"
              + where
              + name
              + "' must be a whole number from "
              + min
              + " to "
              + max
              + ", was "
              + describe(v));
    }
    return v.asLong();
  }

  public boolean bool(String name, boolean fallback) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw ApiException.badRequest(
          where + name, "field '" + where + name + "' must be true or false, was " + describe(v));
    }
    return v.asBoolean();
  }

  /** The raw value (any JSON), or null when absent. */
  public JsonNode raw(String name) {
    return node.get(name);
  }

  public String where() {
    return where;
  }

  static String describe(JsonNode v) {
    String text = v.toString();
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }

  private static java.util.List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }
}
