package dev.cohort.spring.internal;

import dev.cohort.protocol.v1.Endpoint;
import dev.cohort.spring.CohortHealth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The coordinator server answers {@code GET /health} with 200. */
final class ServerHealth implements CohortHealth {
  private final URI server;
  private final Duration timeout;
  private final HttpClient http;

  ServerHealth(URI server, Duration timeout) {
    this.server = server;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public Report check() {
    URI uri = server.resolve(Endpoint.HEALTH.path());
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.discarding());
      return new Report(
          r.statusCode() == 200,
          Map.of("mode", "server", "server", server.toString(), "status", r.statusCode()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Report(false, Map.of("mode", "server", "server", server.toString()));
    } catch (java.io.IOException e) {
      return new Report(
          false, Map.of("mode", "server", "server", server.toString(), "error", e.toString()));
    }
  }
}
