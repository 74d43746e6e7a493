package dev.cohort.participant;

import dev.cohort.protocol.v1.CoordinatorClient;
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
   * credential}. A client is kept per token value, so a rotated token takes effect on the next
   * question.
   */
  static OutcomeSource coordinator(
      URI base, CoordinatorCredential credential, Duration requestTimeout) {
    Objects.requireNonNull(base, "base: the coordinator server's URL, e.g. http://127.0.0.1:7070");
    Objects.requireNonNull(credential, "credential: CoordinatorCredential.NONE for none");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    return new CoordinatorOutcomes(base, credential, requestTimeout);
  }

  /** The {@link #coordinator} source: one {@link CoordinatorClient} per token value. */
  final class CoordinatorOutcomes implements OutcomeSource, AutoCloseable {
    private final URI base;
    private final CoordinatorCredential credential;
    private final Duration requestTimeout;
    private String token;
    private CoordinatorClient client;

    private CoordinatorOutcomes(
        URI base, CoordinatorCredential credential, Duration requestTimeout) {
      this.base = base;
      this.credential = credential;
      this.requestTimeout = requestTimeout;
    }

    @Override
    public ParticipantOutcome outcome(String gid) {
      return client().outcome(gid);
    }

    private synchronized CoordinatorClient client() {
      String now = credential.bearerToken();
      if (client == null || !Objects.equals(now, token)) {
        if (client != null) {
          client.close();
        }
        client = new CoordinatorClient(base, now, requestTimeout, requestTimeout);
        token = now;
      }
      return client;
    }

    @Override
    public synchronized void close() {
      if (client != null) {
        client.close();
        client = null;
      }
    }
  }
}
