package dev.cohort.server.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

/**
 * Requests Helidon rejects before routing (an unparsable request line, a bad header, a URI it
 * cannot decode) get the same JSON error body as everything else.
 */
public final class TransportErrors implements DirectHandler {
  /** Registers this handler for every kind of transport-level event. */
  public static void register(DirectHandlers.Builder builder) {
    TransportErrors handler = new TransportErrors();
    for (EventType type : EventType.values()) {
      builder.addHandler(type, handler);
    }
  }

  @Override
  public TransportResponse handle(
      TransportRequest request,
      EventType eventType,
      Status status,
      ServerResponseHeaders headers,
      String message) {
    int code = status.code();
    String error =
        switch (code) {
          case 404 -> "not_found";
          case 405 -> "method_not_allowed";
          case 413 -> "payload_too_large";
          case 415 -> "unsupported_media_type";
          default -> code >= 500 ? "internal" : "bad_request";
        };
    ObjectNode body = Body.JSON.createObjectNode();
    body.put("error", error);
    body.put(
        "message",
        message == null || message.isBlank()
            ? "the request could not be read as HTTP/1.1 (" + status.reasonPhrase() + ")"
            : message);
    return TransportResponse.builder()
        .status(status)
        .headers(headers)
        .header(HeaderNames.CONTENT_TYPE, "application/json")
        .entity(body.toString())
        .keepAlive(eventType.keepAlive())
        .build();
  }
}
