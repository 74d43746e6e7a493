package dev.cohort.server.console.internal;

import java.util.Map;
import java.util.Optional;

/**
 * One request to the console, independent of the HTTP server: what the pages and checks need.
 *
 * @param method GET or POST
 * @param path the decoded path, e.g. {@code /console/transactions/order-1}
 * @param query the query parameters (each name once)
 * @param form the url-encoded form of a POST; empty for a GET
 * @param cookies the request's cookies by name
 * @param origin the {@code Origin} header, when the browser sent one
 * @param host the {@code Host} header
 * @param remote the client's address, for the audit record
 */
public record ConsoleRequest(
    String method,
    String path,
    Map<String, String> query,
    Map<String, String> form,
    Map<String, String> cookies,
    Optional<String> origin,
    String host,
    String remote) {
  public ConsoleRequest {
    query = Map.copyOf(query);
    form = Map.copyOf(form);
    cookies = Map.copyOf(cookies);
  }

  boolean isPost() {
    return "POST".equals(method);
  }

  String param(String name) {
    return query.getOrDefault(name, "");
  }

  String field(String name) {
    return form.getOrDefault(name, "");
  }
}
