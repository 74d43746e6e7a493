package dev.cohort.participant;

import com.sun.net.httpserver.HttpHandler;
import java.util.function.UnaryOperator;

/**
 * Serves one coordinator call whatever the transport: {@link ParticipantEndpoint} (TCC, saga) and
 * {@link PreparedEndpoint} (2PC, 3PC), cohort-messaging's check-back. A test's fault injector wraps
 * any of them.
 */
@FunctionalInterface
public interface ParticipantCallHandler {
  /**
   * Answers one call.
   *
   * @param header looks a request header up by name, case-insensitively; null when absent
   * @param body the exact request body bytes
   */
  ParticipantEndpoint.Response handle(UnaryOperator<String> header, byte[] body);

  /**
   * An adapter for the JDK's {@code com.sun.net.httpserver.HttpServer}: {@code POST} only (else
   * 405), bodies up to {@link ParticipantEndpoint#MAX_BODY_BYTES} (else 413).
   */
  default HttpHandler jdkHandler() {
    return exchange -> ParticipantEndpoint.serve(this, exchange);
  }
}
