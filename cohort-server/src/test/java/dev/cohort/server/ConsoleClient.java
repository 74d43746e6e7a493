package dev.cohort.server;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A browser without a browser: the console over plain HTTP, holding its session cookie by hand. */
final class ConsoleClient {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"");

  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final String base;
  String cookie;

  ConsoleClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** Logs in with {@code token}; returns the login answer (303 and a cookie when right). */
  HttpResponse<String> login(String token) {
    HttpResponse<String> r = post("/console/login", Map.of("token", token), null);
    r.headers().firstValue("Set-Cookie").ifPresent(c -> cookie = c.substring(0, c.indexOf(';')));
    return r;
  }

  HttpResponse<String> get(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return send(b.build());
  }

  /** POSTs a form; {@code origin} null sends none (as curl would). */
  HttpResponse<String> post(String path, Map<String, String> form, String origin) {
    String body =
        form.entrySet().stream()
            .map(e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    if (origin != null) {
      b.header("Origin", origin);
    }
    return send(b.build());
  }

  /** The session's CSRF token, read from any page's logout form. */
  String csrf() {
    Matcher m = CSRF.matcher(get("/console/overview").body());
    if (!m.find()) {
      throw new IllegalStateException("no CSRF token on the overview page; logged in?");
    }
    return m.group(1);
  }

  String origin() {
    return base;
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("the console did not answer " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
