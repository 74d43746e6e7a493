package dev.cohort.chaos.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.chaos.Totals;
import dev.cohort.protocol.v1.Codec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** See {@link Totals#fromJson}. */
public final class JsonTotals implements Totals {
  private final URI url;
  private final Duration timeout;

  public JsonTotals(URI url, Duration timeout) {
    this.url = Objects.requireNonNull(url, "url");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  public Map<String, Long> read() throws Exception {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build()) {
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "GET " + url + " answered " + response.statusCode() + "; totals need a 200");
      }
      JsonNode root = Codec.JSON.readTree(response.body());
      if (root == null || !root.isObject()) {
        throw new IllegalStateException("GET " + url + " did not answer a JSON object");
      }
      Map<String, Long> totals = new LinkedHashMap<>();
      flatten("", root, totals);
      return totals;
    }
  }

  private static void flatten(String prefix, JsonNode node, Map<String, Long> into) {
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String key = prefix + field.getKey();
      if (field.getValue().isObject()) {
        flatten(key + ".", field.getValue(), into);
      } else if (field.getValue().isIntegralNumber()) {
        into.put(key, field.getValue().longValue());
      }
    }
  }
}
