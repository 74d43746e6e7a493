package dev.cohort.server.cli;

import dev.cohort.client.CallSignature;
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
  /** No participant: HTTP branches are answered 503 until the SDK's HTTP participant is wired. */
  ParticipantWiring NONE = (builder, signer, callTimeout, metrics) -> {};

  void wire(
      CohortServer.Builder builder,
      CallSignature signer,
      Duration callTimeout,
      ServerMetrics metrics);
}
