package dev.cohort.messagemode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.api.BranchContext;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.coordinator.http.HttpPoster;
import dev.cohort.coordinator.http.ParticipantCallException;
import dev.cohort.protocol.CallSignature;
import dev.cohort.protocol.HttpTarget;
import dev.cohort.protocol.Operation;
import dev.cohort.protocol.Snippets;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The HTTP participants of reliable messages (docs/protocol.md, "Reliable messages"): register one
 * instance under {@link HttpTarget#PARTICIPANT} for both {@link ReliableMessageMode#CHECKS} and
 * {@link ReliableMessageMode#RECEIVERS}; each branch's payload is an {@link HttpTarget} of shape
 * {@code msg}, and every call is a signed {@code POST} like a TCC call.
 *
 * <p>Check-back ({@code Cohort-Op: check}): {@code 200 {"state":"committed"}} → deliver; {@code 200
 * {"state":"rolled-back"}} → roll back; {@code 425} → the service cannot tell yet; anything else,
 * no answer or a 200 with another body → a failed check, asked again after the coordinator's
 * backoff. Receive ({@code Cohort-Op: receive}): any 2xx took the message; anything else is retried
 * with backoff until it does. Thread-safe.
 */
public final class HttpMessageParticipant
    implements LocalTransactionCheck, MessageReceiver, AutoCloseable {
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** The check-back answer's field and its two values. */
  public static final String STATE_FIELD = "state";

  public static final String COMMITTED = "committed";
  public static final String ROLLED_BACK = "rolled-back";

  private static final int NOT_KNOWN_YET = 425;
  private static final int MAX_ANSWER_BYTES = 8192;
  private static final int SNIPPET_CHARS = 300;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CallSignature signer;
  private final Duration callTimeout;
  private final Clock clock;
  private final HttpPoster poster;

  private HttpMessageParticipant(Builder b) {
    this.signer = b.signer;
    this.callTimeout = b.callTimeout;
    this.clock = b.clock;
    this.poster = b.poster != null ? b.poster : HttpPoster.jdk(b.connectTimeout);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public boolean committed(BranchContext source) throws InterruptedException {
    Answer answer = post(source, Operation.CHECK);
    String where = answer.where;
    if (answer.status == NOT_KNOWN_YET) {
      throw new ParticipantCallException(
          where + ": the service cannot tell yet (425), asked again later: " + quote(answer.text),
          Operation.CHECK.code(),
          answer.url,
          answer.status,
          null);
    }
    if (answer.status == 200) {
      String state = state(answer.text);
      if (COMMITTED.equals(state)) {
        return true;
      }
      if (ROLLED_BACK.equals(state)) {
        return false;
      }
    }
    throw new ParticipantCallException(
        where
            + ": answered "
            + answer.status
            + " "
            + quote(answer.text)
            + "; a check-back answers 200 with {\"state\":\"committed\"} or"
            + " {\"state\":\"rolled-back\"}, or 425 while it cannot tell",
        Operation.CHECK.code(),
        answer.url,
        answer.status,
        null);
  }

  @Override
  public void receive(BranchContext context) throws InterruptedException {
    Answer answer = post(context, Operation.RECEIVE);
    if (answer.status < 200 || answer.status >= 300) {
      throw new ParticipantCallException(
          answer.where
              + ": answered "
              + answer.status
              + ", delivered again later: "
              + quote(answer.text),
          Operation.RECEIVE.code(),
          answer.url,
          answer.status,
          null);
    }
  }

  @Override
  public void close() {
    poster.close();
  }

  private Answer post(BranchContext context, Operation op) throws InterruptedException {
    HttpTarget target = target(context, op);
    URI url = target.url(op);
    String where =
        op.code()
            + " "
            + Snippets.url(url)
            + " [gid="
            + context.gid()
            + ", branch="
            + context.branchId()
            + "]";
    byte[] body = target.body().getBytes(StandardCharsets.UTF_8);
    try {
      HttpPoster.Answer answer =
          poster.post(url, headers(context, op, body), body, callTimeout, MAX_ANSWER_BYTES);
      return new Answer(answer.status(), answer.body(), url, where);
    } catch (IOException e) {
      throw new ParticipantCallException(
          where + ": the call failed (" + e + ")", op.code(), url, -1, e);
    }
  }

  private Map<String, String> headers(BranchContext context, Operation op, byte[] body) {
    if (signer != null) {
      return signer.sign(context.gid().value(), context.branchId().value(), op.code(), body);
    }
    return Map.of(
        CallSignature.GID_HEADER, context.gid().value(),
        CallSignature.BRANCH_HEADER, context.branchId().value(),
        CallSignature.OP_HEADER, op.code(),
        CallSignature.TIMESTAMP_HEADER, Long.toString(clock.millis()));
  }

  /** A payload that is not a msg target for {@code op} can never be called: a refusal. */
  private static HttpTarget target(BranchContext context, Operation op) {
    HttpTarget target;
    try {
      target = HttpTarget.decode(context.payload());
    } catch (RuntimeException e) {
      throw new ParticipantRefusedException(
          op.code() + " of branch " + context.branchId() + ": " + e.getMessage());
    }
    if (!target.carries(op)) {
      throw new ParticipantRefusedException(
          op.code()
              + " of branch "
              + context.branchId()
              + ": the branch is an HTTP "
              + target.mode().code()
              + " target without a '"
              + op.code()
              + "' URL (it has "
              + target.urls().keySet()
              + ")");
    }
    return target;
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

  private static String quote(String text) {
    String s = Snippets.of(text, SNIPPET_CHARS);
    return s.isEmpty() ? "(empty body)" : "\"" + s + "\"";
  }

  private record Answer(int status, String text, URI url, String where) {}

  /** Settings; only the signer (or an explicit {@link #unsigned()}) is required. */
  public static final class Builder {
    private CallSignature signer;
    private boolean unsigned;
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Clock clock = Clock.systemUTC();
    private HttpPoster poster;

    private Builder() {}

    /** Signs every call with this signature's signing key. */
    public Builder signer(CallSignature value) {
      this.signer = Objects.requireNonNull(value, "signer must not be null; or call unsigned()");
      return this;
    }

    /** Sends calls unsigned: for development; a service that verifies refuses them with 401. */
    public Builder unsigned() {
      this.unsigned = true;
      return this;
    }

    /** The most one call may take; default 10 s. */
    public Builder callTimeout(Duration value) {
      this.callTimeout = positive("callTimeout", value, DEFAULT_CALL_TIMEOUT);
      return this;
    }

    /** How long to wait for a TCP connection; default 2 s. */
    public Builder connectTimeout(Duration value) {
      this.connectTimeout = positive("connectTimeout", value, DEFAULT_CONNECT_TIMEOUT);
      return this;
    }

    /** The timestamp of unsigned calls. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock must not be null");
      return this;
    }

    /** How calls are sent; default {@link HttpPoster#jdk}. Closed with this participant. */
    public Builder poster(HttpPoster value) {
      this.poster = Objects.requireNonNull(value, "poster");
      return this;
    }

    public HttpMessageParticipant build() {
      if (signer == null && !unsigned) {
        throw new IllegalStateException(
            "HttpMessageParticipant needs a signer: call signer(callSignature), or unsigned() to"
                + " send unsigned calls during development");
      }
      if (signer != null && unsigned) {
        throw new IllegalStateException(
            "HttpMessageParticipant was given both a signer and unsigned(); choose one");
      }
      return new HttpMessageParticipant(this);
    }

    private static Duration positive(String name, Duration value, Duration fallback) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(
            name
                + " must be a positive duration but was "
                + value
                + "; the default is "
                + fallback);
      }
      return value;
    }
  }
}
