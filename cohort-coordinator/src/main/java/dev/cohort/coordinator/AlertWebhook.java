package dev.cohort.coordinator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts every FAILED transaction of a coordinator (embedded, the server's, the Spring Boot
 * starter's) to a URL, as JSON: {@code {"event": "transaction_failed", "gid", "stuckIn",
 * "attempts", "elapsedMillis", "reason"}}. A {@link CoordinatorListener}, so the engine already
 * guards it; on top of that the POST runs off the engine's thread, is retried with doubling pauses
 * for a configured number of attempts (any 2xx ends it) and only logs when it gives up: a failing
 * webhook never stops the coordinator. Plain Java; register it with {@code
 * Coordinator.builder(store).listener(...)} without Spring.
 */
public final class AlertWebhook implements CoordinatorListener {
  private static final Logger LOG = LoggerFactory.getLogger(AlertWebhook.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI url;
  private final int attempts;
  private final Duration timeout;
  private final Duration backoff;
  private final HttpClient http;

  /**
   * @param attempts POSTs at most, at least 1
   * @param timeout of one POST
   * @param backoff pause before the second attempt; doubled for each next one
   */
  public AlertWebhook(URI url, int attempts, Duration timeout, Duration backoff) {
    this.url = Objects.requireNonNull(url, "url");
    if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
      throw new IllegalArgumentException(
          "alert webhook URL '" + url + "' must be an http:// or https:// URL");
    }
    if (attempts < 1) {
      throw new IllegalArgumentException(
          "alert webhook attempts is " + attempts + "; it must be at least 1 (1 = no retry)");
    }
    this.attempts = attempts;
    this.timeout = requirePositive(timeout, "alert webhook timeout");
    this.backoff = requirePositive(backoff, "alert webhook backoff");
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  private static Duration requirePositive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " is " + d + "; give a positive duration");
    }
    return d;
  }

  @Override
  public void onFailed(FailureAlert alert) {
    ObjectNode body = JSON.createObjectNode();
    body.put("event", "transaction_failed");
    body.put("gid", alert.gid().value());
    body.put("stuckIn", alert.stuckIn().code());
    body.put("attempts", alert.attempts());
    body.put("elapsedMillis", alert.elapsed().toMillis());
    body.put("reason", alert.reason());
    post(body.toString(), 1);
  }

  /** Sends attempt {@code n}; the next one is scheduled, never waited for on this thread. */
  @SuppressWarnings("FutureReturnValueIgnored") // the outcome is handled in whenComplete
  private void post(String body, int n) {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete((response, error) -> {
          if (error == null && response.statusCode() / 100 == 2) {
            return;
          }
          String why = error != null ? error.toString() : "status " + response.statusCode();
          if (n >= attempts) {
            LOG.error("alert webhook {} gave up after {} attempts: {}", url, n, why);
            return;
          }
          LOG.warn("alert webhook {} attempt {} failed ({}); retrying", url, n, why);
          long pause = backoff.toMillis() << Math.min(n - 1, 16);
          Executor later = CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS);
          later.execute(() -> post(body, n + 1));
        });
  }
}
