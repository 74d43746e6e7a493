package dev.cohort.server.cli;

import dev.cohort.server.CohortServer;
import dev.cohort.server.ServerMetrics;

/**
 * Gives {@code cohort server} the participant that calls branch URLs: it calls {@link
 * CohortServer.Builder#httpParticipant} with one calling as {@code calls} says and reporting each
 * call to {@link ServerMetrics#onBranchCall}.
 */
@FunctionalInterface
public interface ParticipantWiring {
  /** No participant: registering HTTP branches answers 503 (for tests of the client commands). */
  ParticipantWiring NONE = (builder, calls, metrics) -> {};

  void wire(CohortServer.Builder builder, ParticipantCalls calls, ServerMetrics metrics);
}
