package dev.cohort.participant;

import dev.cohort.protocol.v1.CoordinatorClient;
import dev.cohort.protocol.v1.Credential;
import dev.cohort.protocol.v1.ParticipantOutcome;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/** Answers "how did transaction {@code gid} end?" for a participant. */
@FunctionalInterface
public interface OutcomeSource {
  /**
   * The transaction's status and decision ({@code GET /v1/transactions/{gid}/outcome}).
   *
   * @throws dev.cohort.protocol.v1.CoordinatorCallException the coordinator could not be asked
   */
  ParticipantOutcome outcome(String gid);

  /**
   * Asks the coordinator server at {@code base} through {@link CoordinatorClient}, showing {@code
   * credential} on each question: {@link Credential#bearer} with a reader token, or {@link
   * Credential#signed} with this participant's own key (the server then answers only for gids with
   * a branch on this participant's hosts, docs/protocol.md). A credential is asked for its headers
   * per request, so one that reads a rotated token each time picks it up.
   */
  static OutcomeSource coordinator(URI base, Credential credential, Duration requestTimeout) {
    Objects.requireNonNull(base, "base: the coordinator server's URL, e.g. http://127.0.0.1:7070");
    Objects.requireNonNull(
        credential, "credential: Credential.bearer(readerToken) or Credential.signed(key)");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    CoordinatorClient client =
        new CoordinatorClient(base, credential, requestTimeout, requestTimeout, null);
    return client::outcome;
  }
}
