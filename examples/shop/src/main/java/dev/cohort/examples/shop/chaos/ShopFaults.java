package dev.cohort.examples.shop.chaos;

import dev.cohort.chaos.Fault;
import dev.cohort.examples.shop.ShopService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The shop's fault switches as one chaos {@link Fault}: each injection arms one fault, drawn in
 * turn from a fixed seed, on one service ({@code POST /admin/faults}); a service that does not
 * answer (the one being restarted) is passed over for the next. The faults cover every mode: a
 * failed or hanging try, confirm, cancel, action, compensation and plain call, latency, a cancel
 * delivered before its try and a duplicated confirm.
 */
final class ShopFaults implements Fault {
  /** A hanging call lasts this long, past the coordinator's 2 s call timeout. */
  static final long HANG_MILLIS = 3_000;

  static final List<String> FAULTS =
      List.of(
          "{\"kind\":\"fail\",\"op\":\"try\"}",
          "{\"kind\":\"fail\",\"op\":\"confirm\",\"count\":2}",
          "{\"kind\":\"fail\",\"op\":\"cancel\"}",
          "{\"kind\":\"fail\",\"op\":\"action\"}",
          "{\"kind\":\"fail\",\"op\":\"compensate\"}",
          "{\"kind\":\"fail\",\"op\":\"plain\"}",
          "{\"kind\":\"latency\",\"count\":5,\"millis\":100}",
          "{\"kind\":\"timeout\",\"op\":\"try\",\"millis\":" + HANG_MILLIS + "}",
          "{\"kind\":\"timeout\",\"op\":\"confirm\",\"millis\":" + HANG_MILLIS + "}",
          "{\"kind\":\"timeout\",\"op\":\"action\",\"millis\":" + HANG_MILLIS + "}",
          "{\"kind\":\"timeout\",\"op\":\"plain\",\"millis\":" + HANG_MILLIS + "}",
          "{\"kind\":\"cancel-before-try\",\"millis\":" + HANG_MILLIS + "}",
          "{\"kind\":\"duplicate-confirm\"}");

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final HttpClient http;
  private final Map<ShopService, URI> urls;
  private final Random random = new Random(11);

  ShopFaults(HttpClient http, Map<ShopService, URI> urls) {
    this.http = http;
    this.urls = urls;
  }

  @Override
  public String name() {
    return "shop fault switch";
  }

  @Override
  public synchronized void inject() throws Exception {
    String fault = FAULTS.get(random.nextInt(FAULTS.size()));
    ShopService[] services = ShopService.values();
    int first = random.nextInt(services.length);
    IOException last = null;
    for (int i = 0; i < services.length; i++) {
      ShopService target = services[(first + i) % services.length];
      try {
        send(
            HttpRequest.newBuilder(urls.get(target).resolve("/admin/faults"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(fault)));
        return;
      } catch (IOException e) {
        last = e; // being restarted: arm it on the next one
      }
    }
    throw last;
  }

  /** Disarms every service's faults; a service that does not answer has none armed anyway. */
  void clear() {
    for (URI url : urls.values()) {
      try {
        send(HttpRequest.newBuilder(url.resolve("/admin/faults")).DELETE());
      } catch (IOException e) {
        // down: a restarted service starts with no fault armed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          request.build().uri() + " answered " + response.statusCode() + ": " + response.body());
    }
  }
}
