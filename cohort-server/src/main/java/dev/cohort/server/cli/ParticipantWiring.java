package dev.cohort.server.cli;

import dev.cohort.protocol.CallSignature;
import dev.cohort.server.CohortServer;
import dev.cohort.server.ServerMetrics;
import java.time.Duration;

/**
 * Gives {@code cohort server} the participant that calls branch URLs: it calls {@link
 * CohortServer.Builder#httpParticipant} with one signing through {@code signer} (null: unsigned)
 * and reporting each call to {@link ServerMetrics#onBranchCall}.
 */
@FunctionalInterface
public interface ParticipantWiring {
  /** No participant: registering HTTP branches answers 503 (for tests of the client commands). */
  ParticipantWiring NONE = (builder, signer, callTimeout, client, metrics) -> {};

  void wire(
      CohortServer.Builder builder,
      CallSignature signer,
      Duration callTimeout,
      ParticipantClient client,
      ServerMetrics metrics);
}
