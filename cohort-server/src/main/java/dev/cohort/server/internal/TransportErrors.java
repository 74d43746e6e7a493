package dev.cohort.server.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.protocol.v1.ErrorCode;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

/**
 * Requests Helidon rejects before routing (an unparsable request line, a bad header, a URI it
 * cannot decode, an HTTP version other than 1.1) get the same JSON error body as everything else,
 * always with a 4xx.
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
    ErrorCode code = code(eventType, status);
    ObjectNode body = Body.JSON.createObjectNode();
    body.put("error", code.code());
    body.put("message", message(code, status, message));
    TransportResponse.Builder response =
        TransportResponse.builder()
            .status(Status.create(code.status()))
            .headers(headers)
            .header(HeaderNames.CONTENT_TYPE, "application/json")
            .entity(body.toString())
            .keepAlive(eventType.keepAlive() && code != ErrorCode.UPGRADE_REQUIRED);
    if (code == ErrorCode.UPGRADE_REQUIRED) {
      response.header(HeaderNames.UPGRADE, "HTTP/1.1");
      response.header(HeaderNames.CONNECTION, "Upgrade, close");
    }
    return response.build();
  }

  /**
   * The table's code for what Helidon refused. Nothing a client sends is a server error: an HTTP
   * version the server does not speak is a 426 naming the one it does; whatever else Helidon could
   * not read is the client's request, a 400.
   */
  static ErrorCode code(EventType eventType, Status status) {
    if (eventType == EventType.HTTP_VERSION_NOT_SUPPORTED) {
      return ErrorCode.UPGRADE_REQUIRED;
    }
    return switch (status.code()) {
      case 404 -> ErrorCode.NOT_FOUND;
      case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
      case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
      case 414 -> ErrorCode.URI_TOO_LONG;
      case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
      case 431 -> ErrorCode.HEADERS_TOO_LARGE;
      default -> ErrorCode.BAD_REQUEST;
    };
  }

  private static String message(ErrorCode code, Status status, String message) {
    if (code == ErrorCode.UPGRADE_REQUIRED) {
      return "this server speaks HTTP/1.1 only; send the request as HTTP/1.1";
    }
    return message == null || message.isBlank()
        ? "the request could not be read as HTTP/1.1 (" + status.reasonPhrase() + ")"
        : message;
  }
}
