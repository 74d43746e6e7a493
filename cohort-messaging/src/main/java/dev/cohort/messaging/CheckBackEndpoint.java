package dev.cohort.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.api.Gid;
import dev.cohort.api.InvalidInputException;
import dev.cohort.participant.ParticipantCallHandler;
import dev.cohort.participant.ParticipantEndpoint.Response;
import dev.cohort.protocol.CallSignature;
import dev.cohort.protocol.CallSignatureException;
import dev.cohort.protocol.Operation;
import dev.cohort.protocol.Snippets;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service side of a reliable message's check-back over HTTP (docs/protocol.md, "Reliable
 * messages"): the coordinator's signed {@code POST} with {@code Cohort-Op: check} asks whether the
 * local transaction that was to write message {@code Cohort-Gid} committed, and the answer comes
 * from the outbox ({@link Outbox#checkBack}), which also closes the id when it did not.
 *
 * <pre>{@code
 * CheckBackEndpoint checks = CheckBackEndpoint.of(outbox, signature);
 * server.createContext("/cohort/check", checks.jdkHandler());
 * }</pre>
 *
 * <p>Answers: {@code 200 {"state":"committed"}} or {@code 200 {"state":"rolled-back"}}; {@code 425
 * {"error":"not_known_yet"}} when the service's database could not settle it now (the coordinator
 * asks again later); {@code 400/401/403} for a malformed, unsigned or refused call. Thread-safe.
 */
public final class CheckBackEndpoint implements ParticipantCallHandler {
  private static final Logger LOG = LoggerFactory.getLogger(CheckBackEndpoint.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MESSAGE_CHARS = 300;

  private final Outbox outbox;
  private final CallSignature verifier;

  private CheckBackEndpoint(Outbox outbox, CallSignature verifier) {
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.verifier = verifier;
  }

  /** Check-backs signed with a key {@code verifier} holds. */
  public static CheckBackEndpoint of(Outbox outbox, CallSignature verifier) {
    if (verifier == null) {
      throw new IllegalArgumentException(
          "verifier must not be null: the check-back closes message ids, so only the"
              + " coordinator may call it. For tests without keys use"
              + " CheckBackEndpoint.unsigned(outbox)");
    }
    return new CheckBackEndpoint(outbox, verifier);
  }

  /** Accepts unsigned check-backs: for tests and local development only. */
  public static CheckBackEndpoint unsigned(Outbox outbox) {
    return new CheckBackEndpoint(outbox, null);
  }

  @Override
  public Response handle(UnaryOperator<String> header, byte[] body) {
    Objects.requireNonNull(header, "header");
    if (verifier != null) {
      try {
        verifier.verify(header, body == null ? new byte[0] : body);
      } catch (CallSignatureException e) {
        return error(
            e.reason().httpStatus(), e.reason().name().toLowerCase(Locale.ROOT), e.getMessage());
      }
    }
    String gid = header.apply(CallSignature.GID_HEADER);
    String op = header.apply(CallSignature.OP_HEADER);
    if (gid == null || op == null) {
      return error(
          400,
          "bad_request",
          "headers "
              + CallSignature.GID_HEADER
              + " and "
              + CallSignature.OP_HEADER
              + " are required");
    }
    if (!Operation.CHECK.code().equals(op)) {
      return error(
          400,
          "bad_request",
          CallSignature.OP_HEADER
              + " '"
              + Snippets.of(op, 20)
              + "' is not served here; this check-back endpoint serves "
              + Operation.CHECK.code());
    }
    try {
      Gid.of(gid);
    } catch (InvalidInputException e) {
      return error(400, "bad_request", e.getMessage());
    }
    LocalTransactionState state;
    try {
      state = outbox.checkBack(gid);
    } catch (InvalidInputException e) {
      return error(400, "bad_request", e.getMessage());
    } catch (MessagingException e) {
      LOG.warn("check-back of {} could not be answered now", gid, e);
      return error(
          425,
          "not_known_yet",
          "the outbox could not settle message " + gid + " now (" + e.getMessage() + ")");
    }
    ObjectNode node = JSON.createObjectNode();
    node.put("state", state == LocalTransactionState.COMMITTED ? "committed" : "rolled-back");
    return new Response(200, node.toString());
  }

  private static Response error(int status, String error, String message) {
    ObjectNode node = JSON.createObjectNode();
    node.put("error", error);
    node.put("message", Snippets.of(message, MESSAGE_CHARS));
    return new Response(status, node.toString());
  }
}
