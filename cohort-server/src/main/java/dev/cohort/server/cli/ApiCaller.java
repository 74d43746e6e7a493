package dev.cohort.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The tx commands' HTTP client; turns answers into JSON or a {@link CliException}. */
final class ApiCaller {
  static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final String token;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ApiCaller(String base, String token) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
  }

  JsonNode get(String path) {
    return send(request(path).GET(), path);
  }

  JsonNode post(String path, String json) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException(
          "this command changes the server: give its API token with --token or COHORT_TOKEN");
    }
    HttpRequest.Builder b =
        request(path)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    return send(b, path);
  }

  private HttpRequest.Builder request(String path) {
    try {
      return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--url '" + base + "' is not a usable URL: " + e.getMessage(), e);
    }
  }

  private JsonNode send(HttpRequest.Builder builder, String path) {
    HttpResponse<String> response;
    try {
      response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CliException(
          CohortCli.UNAVAILABLE, "cannot reach the server at " + base + " (" + e + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(CohortCli.UNAVAILABLE, "interrupted while calling " + base);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      body = null;
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300 && body != null) {
      return body;
    }
    String message =
        body != null && body.path("message").isTextual()
            ? body.get("message").asText()
            : "HTTP " + status + " from " + base + path;
    if (status >= 400 && status < 500) {
      throw new CliException(CohortCli.REFUSED, message + " (HTTP " + status + ")");
    }
    throw new CliException(
        CohortCli.UNAVAILABLE, "the server failed: " + message + " (HTTP " + status + ")");
  }
}
