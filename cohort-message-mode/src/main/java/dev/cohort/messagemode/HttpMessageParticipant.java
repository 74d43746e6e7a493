package dev.cohort.messagemode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.api.BranchContext;
import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.coordinator.http.ParticipantCallException;
import dev.cohort.protocol.HttpTarget;
import dev.cohort.protocol.Operation;
import java.io.IOException;
import java.util.Objects;

/**
 * The HTTP participants of reliable messages (docs/protocol.md, "Reliable messages"): register one
 * instance under {@link HttpTarget#PARTICIPANT} for both {@link ReliableMessageMode#CHECKS} and
 * {@link ReliableMessageMode#RECEIVERS}; each branch's payload is an {@link HttpTarget} of shape
 * {@code msg}. The calls are made by an {@link HttpParticipant} — the same signing, timeouts,
 * connections and error messages as TCC calls — and only the answers are read differently.
 *
 * <p>Check-back ({@code Cohort-Op: check}): {@code 200 {"state":"committed"}} → deliver; {@code 200
 * {"state":"rolled-back"}} → roll back; {@code 425} → the service cannot tell yet; anything else,
 * no answer or a 200 with another body → a failed check, asked again after the coordinator's
 * backoff. Receive ({@code Cohort-Op: receive}): any 2xx took the message; anything else is retried
 * with backoff until it does. Thread-safe.
 */
public final class HttpMessageParticipant implements LocalTransactionCheck, MessageReceiver {
  /** The check-back answer's field and its two values. */
  public static final String STATE_FIELD = "state";

  public static final String COMMITTED = "committed";
  public static final String ROLLED_BACK = "rolled-back";

  private static final int NOT_KNOWN_YET = 425;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpParticipant calls;

  private HttpMessageParticipant(HttpParticipant calls) {
    this.calls = calls;
  }

  /**
   * Reliable-message calls made by {@code calls} (e.g. the server's TCC participant, so that one
   * signer and one connection pool serve both). {@code calls} stays the caller's to close.
   */
  public static HttpMessageParticipant over(HttpParticipant calls) {
    return new HttpMessageParticipant(
        Objects.requireNonNull(calls, "calls: the HttpParticipant that signs and sends the calls"));
  }

  @Override
  public boolean committed(BranchContext source) throws InterruptedException {
    HttpParticipant.Reply answer = calls.exchange(source, Operation.CHECK);
    if (answer.status() == NOT_KNOWN_YET) {
      throw new ParticipantCallException(
          answer.where()
              + ": the service cannot tell yet (425), asked again later: "
              + answer.quotedBody(),
          Operation.CHECK.code(),
          answer.url(),
          answer.status(),
          null);
    }
    if (answer.status() == 200) {
      String state = state(answer.body());
      if (COMMITTED.equals(state)) {
        return true;
      }
      if (ROLLED_BACK.equals(state)) {
        return false;
      }
    }
    throw new ParticipantCallException(
        answer.where()
            + ": answered "
            + answer.status()
            + " "
            + answer.quotedBody()
            + "; a check-back answers 200 with {\"state\":\"committed\"} or"
            + " {\"state\":\"rolled-back\"}, or 425 while it cannot tell",
        Operation.CHECK.code(),
        answer.url(),
        answer.status(),
        null);
  }

  @Override
  public void receive(BranchContext context) throws InterruptedException {
    HttpParticipant.Reply answer = calls.exchange(context, Operation.RECEIVE);
    if (answer.status() < 200 || answer.status() >= 300) {
      throw new ParticipantCallException(
          answer.where()
              + ": answered "
              + answer.status()
              + ", delivered again later: "
              + answer.quotedBody(),
          Operation.RECEIVE.code(),
          answer.url(),
          answer.status(),
          null);
    }
  }

  private static String state(String text) {
    try {
      JsonNode node = JSON.readTree(text == null ? "" : text);
      return node != null && node.path(STATE_FIELD).isTextual()
          ? node.path(STATE_FIELD).asText()
          : null;
    } catch (IOException e) {
      return null;
    }
  }
}
