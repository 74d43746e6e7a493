package dev.cohort.examples.shop.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.examples.shop.ShopService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** The shop's HTTP API as a client sees it: purchases, orders, admin state and faults. */
public final class ShopClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<ShopService, String> urls;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  public ShopClient(Map<ShopService, String> urls) {
    this.urls = Map.copyOf(urls);
  }

  /** {@code POST /purchases}; the answer as JSON. */
  public JsonNode purchase(String mode, String account, String item, int quantity) {
    return post(
        ShopService.ORDER,
        "/purchases",
        "{\"mode\":\"%s\",\"account\":\"%s\",\"item\":\"%s\",\"quantity\":%d}"
            .formatted(mode, account, item, quantity),
        Duration.ofSeconds(60));
  }

  /** {@code GET /orders/{id}}: the order's status, or null when unknown. */
  public String orderStatus(String orderId) {
    JsonNode n = get(ShopService.ORDER, "/orders/" + orderId);
    return n == null ? null : n.path("status").asText(null);
  }

  /** Every service's {@code GET /admin/state}. */
  public Map<ShopService, JsonNode> state() {
    Map<ShopService, JsonNode> all = new EnumMap<>(ShopService.class);
    for (ShopService s : ShopService.values()) {
      all.put(s, get(s, "/admin/state"));
    }
    return all;
  }

  /** {@code POST /admin/faults} on one service. */
  public void arm(ShopService service, String faultJson) {
    post(service, "/admin/faults", faultJson, Duration.ofSeconds(5));
  }

  /** {@code DELETE /admin/faults} on every service. */
  public void clearFaults() {
    for (ShopService s : ShopService.values()) {
      send(
          HttpRequest.newBuilder(URI.create(urls.get(s) + "/admin/faults"))
              .timeout(Duration.ofSeconds(5))
              .DELETE()
              .build());
    }
  }

  private JsonNode get(ShopService service, String path) {
    return send(
        HttpRequest.newBuilder(URI.create(urls.get(service) + path))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build());
  }

  private JsonNode post(ShopService service, String path, String json, Duration timeout) {
    return send(
        HttpRequest.newBuilder(URI.create(urls.get(service) + path))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  private JsonNode send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 404) {
        return null;
      }
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            request.method()
                + " "
                + request.uri()
                + " answered "
                + r.statusCode()
                + ": "
                + r.body());
      }
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
