package dev.cohort.server.console.internal;

import dev.cohort.server.internal.BodyReads;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Helidon's side of the console: turns a request into a {@link ConsoleRequest} and back. */
public final class ConsoleHandler implements Handler {
  /** Forms are small: a token, a CSRF token, a reason. */
  static final int MAX_FORM = 64 * 1024;

  private final ConsoleApp app;
  private final BodyReads bodyReads;

  public ConsoleHandler(ConsoleApp app, BodyReads bodyReads) {
    this.app = app;
    this.bodyReads = bodyReads;
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    ConsoleResponse answer;
    try {
      String method = req.prologue().method().text();
      Map<String, String> form = "POST".equals(method) ? form(req) : Map.of();
      answer =
          app.handle(
              new ConsoleRequest(
                  method,
                  req.path().path(),
                  parse(req.query().rawValue()),
                  form,
                  cookies(req.headers().first(HeaderNames.COOKIE).orElse("")),
                  req.headers().first(HeaderNames.ORIGIN),
                  req.headers().first(HeaderNames.HOST).orElse(""),
                  remote(req.remotePeer().address())));
    } catch (BodyReads.StalledException e) {
      return; // the connection is closed: nothing can be answered
    } catch (BadRequest e) {
      answer =
          ConsoleResponse.of(
              e.status, "text/plain; charset=utf-8", bytes(e.getMessage()), Map.of());
    }
    res.status(answer.status());
    answer.headers().forEach((name, value) -> res.header(name, value));
    res.send(answer.body());
  }

  /** Malformed input the console cannot read at all: a plain 4xx, never a 500. */
  static final class BadRequest extends RuntimeException {
    final int status;

    BadRequest(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private Map<String, String> form(ServerRequest req) {
    if (!req.content().hasEntity()) {
      return Map.of();
    }
    String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
    if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      throw new BadRequest(415, "console forms are sent as application/x-www-form-urlencoded");
    }
    try (InputStream in = req.content().inputStream()) {
      byte[] body = bodyReads.read(in, MAX_FORM + 1);
      if (body.length > MAX_FORM) {
        throw new BadRequest(413, "the form is larger than " + MAX_FORM + " bytes");
      }
      return parse(new String(body, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new BadRequest(400, "the form could not be read: " + e.getMessage());
    }
  }

  /** {@code a=1&b=2}, percent-decoded; a name given twice keeps its first value. */
  static Map<String, String> parse(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.putIfAbsent(name, value);
    }
    return params;
  }

  static Map<String, String> cookies(String header) {
    Map<String, String> cookies = new LinkedHashMap<>();
    for (String part : header.split(";", -1)) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        cookies.putIfAbsent(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
    }
    return cookies;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequest(400, "malformed percent-encoding in '" + SearchForm.shorten(s) + "'");
    }
  }

  private static String remote(SocketAddress address) {
    return address instanceof InetSocketAddress inet
        ? inet.getAddress().getHostAddress()
        : String.valueOf(address);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
