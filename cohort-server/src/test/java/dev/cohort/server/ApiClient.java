package dev.cohort.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Talks to the server the way any client would: JDK HttpClient, JSON text. */
final class ApiClient {
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final int port;
  private final String base;
  private final String token;

  ApiClient(int port, String token) {
    this.port = port;
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  int port() {
    return port;
  }

  /** One answer: status and parsed body (null when the body is not JSON). */
  record Answer(int status, JsonNode body, String text) {
    String field(String name) {
      return body == null || body.get(name) == null ? null : body.get(name).asText();
    }
  }

  /** A GET with this client's token (every read needs one). */
  Answer get(String path) {
    return get(path, token);
  }

  /** A GET with {@code bearer} as the token; null sends none. */
  Answer get(String path, String bearer) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return send(b);
  }

  Answer post(String path, String json) {
    return post(path, json, token);
  }

  Answer post(String path, String json, String bearer) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return send(b);
  }

  Answer send(HttpRequest.Builder builder) {
    try {
      HttpResponse<String> response =
          client.send(
              builder.timeout(Duration.ofSeconds(20)).build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode body;
      try {
        body = JSON.readTree(response.body());
      } catch (IOException e) {
        body = null;
      }
      return new Answer(response.statusCode(), body, response.body());
    } catch (IOException e) {
      throw new IllegalStateException("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
