package dev.cohort.server.console.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the console answers: a status, headers and a body. Every answer carries the headers that
 * keep the pages out of frames and caches and allow only the console's own scripts and styles.
 */
public final class ConsoleResponse {
  static final String HTML = "text/html; charset=utf-8";
  static final String JSON = "application/json";

  /**
   * Only same-origin scripts, styles, images and form targets; no frames. Inline SVG is markup, so
   * charts need no exception.
   */
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private final int status;
  private final Map<String, String> headers;
  private final byte[] body;

  private ConsoleResponse(int status, Map<String, String> headers, byte[] body) {
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  public int status() {
    return status;
  }

  public Map<String, String> headers() {
    return headers;
  }

  /** The body's bytes; the caller must not change them. */
  public byte[] body() {
    return body;
  }

  static ConsoleResponse page(int status, String html) {
    return of(status, HTML, html.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  static ConsoleResponse json(String json) {
    return of(200, JSON, json.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** A 303 to {@code location}: after a POST the browser GETs the result page. */
  static ConsoleResponse redirect(String location, Map<String, String> extra) {
    Map<String, String> headers = new LinkedHashMap<>(extra);
    headers.put("Location", location);
    return of(303, "text/plain; charset=utf-8", new byte[0], headers);
  }

  static ConsoleResponse of(int status, String type, byte[] body, Map<String, String> extra) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", type);
    headers.put("Cache-Control", "no-store");
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("X-Frame-Options", "DENY");
    headers.put("Referrer-Policy", "same-origin");
    headers.put("Content-Security-Policy", CSP);
    headers.putAll(extra);
    return new ConsoleResponse(status, Map.copyOf(headers), body);
  }
}
