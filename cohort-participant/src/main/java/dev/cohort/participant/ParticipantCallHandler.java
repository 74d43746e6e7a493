package dev.cohort.participant;

import java.util.function.UnaryOperator;

/**
 * Serves one coordinator call whatever the transport: {@link ParticipantEndpoint} (TCC, saga) and
 * {@link PreparedEndpoint} (2PC, 3PC). A test's fault injector wraps any of them.
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
}
