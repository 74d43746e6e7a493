package dev.cohort.coordinator.http;

import dev.cohort.api.BranchContext;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.coordinator.SagaStep;
import dev.cohort.coordinator.TccParticipant;
import dev.cohort.coordinator.ThreePcParticipant;
import dev.cohort.coordinator.XaParticipant;
import dev.cohort.protocol.CallSignature;
import dev.cohort.protocol.HttpTarget;
import dev.cohort.protocol.Operation;
import dev.cohort.protocol.Snippets;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Calls HTTP participants for the coordinator: register one instance under {@link
 * HttpTarget#PARTICIPANT} for TCC, sagas and (when the coordinator runs them, {@code CommitModes})
 * two- and three-phase commit, and every branch whose payload is an {@link HttpTarget} is delivered
 * as a signed {@code POST} to its URLs (docs/protocol.md, "Participant calls").
 *
 * <pre>{@code
 * HttpParticipant http = HttpParticipant.builder().signer(signature).build();
 * coordinator.registerTcc(HttpTarget.PARTICIPANT, http).registerSagaStep(HttpTarget.PARTICIPANT, http);
 * }</pre>
 *
 * <p>Answers: any 2xx is success; 409 is a refusal ({@link ParticipantRefusedException}); 425 means
 * "still working": a try or an action is polled again after a short growing pause until the call
 * timeout, a confirm, cancel or compensate fails transiently so delivery retries it with backoff;
 * anything else, no answer in time, or a connection error is a transient {@link
 * ParticipantCallException}. Thread-safe; one shared HTTP/1.1 client keeps connections alive.
 */
public final class HttpParticipant
    implements TccParticipant, SagaStep, XaParticipant, ThreePcParticipant, AutoCloseable {
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** First pause before polling a try or an action that answered 425; doubles up to the max. */
  public static final Duration FIRST_POLL_PAUSE = Duration.ofMillis(50);

  public static final Duration MAX_POLL_PAUSE = Duration.ofSeconds(1);

  /** How much of a participant's answer an exception message quotes. */
  static final int SNIPPET_CHARS = 300;

  /** How many bytes of an answer are read at most; the rest is discarded. */
  private static final int MAX_ANSWER_BYTES = 8192;

  private static final int IN_PROGRESS = 425;

  private final CallSignature signer;
  private final Duration callTimeout;
  private final Clock clock;
  private final CallObserver observer;
  private final HttpPoster poster;

  private HttpParticipant(Builder b) {
    this.signer = b.signer;
    this.callTimeout = b.callTimeout;
    this.clock = b.clock;
    this.observer = b.observer;
    this.poster = b.poster != null ? b.poster : HttpPoster.jdk(b.connectTimeout);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void tryReserve(BranchContext context) throws InterruptedException {
    call(context, Operation.TRY, true);
  }

  @Override
  public void confirm(BranchContext context) throws InterruptedException {
    call(context, Operation.CONFIRM, false);
  }

  @Override
  public void cancel(BranchContext context) throws InterruptedException {
    call(context, Operation.CANCEL, false);
  }

  @Override
  public void action(BranchContext context) throws InterruptedException {
    call(context, Operation.ACTION, true);
  }

  @Override
  public void compensate(BranchContext context) throws InterruptedException {
    call(context, Operation.COMPENSATE, false);
  }

  /** A vote: a 409 is a no, anything but a 2xx a failed prepare. Never polled on a 425. */
  @Override
  public void prepare(BranchContext context) throws InterruptedException {
    call(context, Operation.PREPARE, false);
  }

  @Override
  public void commit(BranchContext context) throws InterruptedException {
    call(context, Operation.COMMIT, false);
  }

  @Override
  public void rollback(BranchContext context) throws InterruptedException {
    call(context, Operation.ROLLBACK, false);
  }

  @Override
  public void canCommit(BranchContext context) throws InterruptedException {
    call(context, Operation.CAN_COMMIT, false);
  }

  @Override
  public void preCommit(BranchContext context) throws InterruptedException {
    call(context, Operation.PRE_COMMIT, false);
  }

  @Override
  public void doCommit(BranchContext context) throws InterruptedException {
    call(context, Operation.DO_COMMIT, false);
  }

  @Override
  public void abort(BranchContext context) throws InterruptedException {
    call(context, Operation.ABORT, false);
  }

  public Duration callTimeout() {
    return callTimeout;
  }

  /** Closes the poster's connections (also a poster passed to the builder). */
  @Override
  public void close() {
    poster.close();
  }

  /**
   * One signed call of {@code operation} to the branch's URL for it, with nothing read into the
   * answer: for modes whose answers mean something else than a TCC call's (reliable messages'
   * check-back). No answer within the call timeout, no connection or a broken exchange throws
   * {@link ParticipantCallException}; a payload without a URL for {@code operation} is a {@link
   * ParticipantRefusedException}.
   */
  public Reply exchange(BranchContext context, Operation operation) throws InterruptedException {
    String op = operation.code();
    HttpTarget target = target(context, operation);
    URI url = target.url(operation);
    String where = describe(op, url, context);
    Answer answer =
        exchange(
            context, op, url, target.body().getBytes(StandardCharsets.UTF_8), callTimeout, where);
    return new Reply(answer.status, answer.text, url, where);
  }

  /**
   * What {@link #exchange(BranchContext, Operation)} got back.
   *
   * @param where the call as error messages name it: operation, URL, gid and branch
   */
  public record Reply(int status, String body, URI url, String where) {
    /** The body, shortened for a message and quoted ({@code (empty body)} when empty). */
    public String quotedBody() {
      return quote(body);
    }
  }

  private void call(BranchContext context, Operation operation, boolean poll)
      throws InterruptedException {
    String op = operation.code();
    HttpTarget target = target(context, operation);
    URI url = target.url(operation);
    byte[] body = target.body().getBytes(StandardCharsets.UTF_8);
    String where = describe(op, url, context);
    long start = clock.millis();
    long deadline = start + callTimeout.toMillis();
    Duration pause = FIRST_POLL_PAUSE;
    long paused = 0;
    while (true) {
      // Poll pauses count even if the clock stands still, so a frozen clock cannot poll forever.
      long left = Math.min(deadline - clock.millis(), callTimeout.toMillis() - paused);
      if (left <= 0) {
        throw new ParticipantCallException(
            where + ": still in progress (425) after " + (clock.millis() - start) + " ms",
            op,
            url,
            IN_PROGRESS,
            null);
      }
      Answer answer = exchange(context, op, url, body, Duration.ofMillis(left), where);
      int status = answer.status;
      if (status >= 200 && status < 300) {
        return;
      }
      if (status == 409) {
        String refusal = where + " refused: " + Snippets.message(answer.text, SNIPPET_CHARS);
        throw new ParticipantRefusedException(
            refusal, new ParticipantCallException(refusal, op, url, status, null));
      }
      if (status != IN_PROGRESS) {
        throw new ParticipantCallException(
            where + ": answered " + status + ": " + quote(answer.text), op, url, status, null);
      }
      if (!poll) {
        throw new ParticipantCallException(
            where + ": in progress (425), retried later: " + quote(answer.text),
            op,
            url,
            status,
            null);
      }
      // Poll again only if, after the pause, at least as long is left for the answer: a last
      // call cut short by the deadline would report a timeout instead of "still in progress".
      long wait = pause.toMillis();
      if (clock.millis() + 2 * wait > deadline || paused + 2 * wait > callTimeout.toMillis()) {
        throw new ParticipantCallException(
            where
                + ": still in progress (425) after "
                + (clock.millis() - start)
                + " ms, the call timeout is "
                + callTimeout.toMillis()
                + " ms: "
                + quote(answer.text),
            op,
            url,
            IN_PROGRESS,
            null);
      }
      Thread.sleep(wait);
      paused += wait;
      pause =
          pause.multipliedBy(2).compareTo(MAX_POLL_PAUSE) > 0
              ? MAX_POLL_PAUSE
              : pause.multipliedBy(2);
    }
  }

  private Answer exchange(
      BranchContext context, String op, URI url, byte[] body, Duration timeout, String where)
      throws InterruptedException {
    // Signed per exchange: each poll carries a fresh timestamp, so it is not refused as a replay.
    Map<String, String> headers = headers(context, op, body);
    long sent = clock.millis();
    int status = -1;
    try {
      HttpPoster.Answer answer = poster.post(url, headers, body, timeout, MAX_ANSWER_BYTES);
      status = answer.status();
      return new Answer(status, answer.body());
    } catch (HttpConnectTimeoutException e) {
      throw new ParticipantCallException(
          where + ": could not connect within the connect timeout (" + e.getMessage() + ")",
          op,
          url,
          -1,
          e);
    } catch (HttpTimeoutException e) {
      throw new ParticipantCallException(
          // The call timeout, not this exchange's share of it (the rest after earlier polls),
          // which differs from it by the milliseconds already spent.
          where
              + ": no answer within the call timeout of "
              + callTimeout.toMillis()
              + " ms ("
              + e.getMessage()
              + ")",
          op,
          url,
          -1,
          e);
    } catch (ConnectException e) {
      throw new ParticipantCallException(where + ": could not connect (" + e + ")", op, url, -1, e);
    } catch (IOException e) {
      throw new ParticipantCallException(
          where
              + ": the call failed"
              + (status < 0 ? "" : " after status " + status)
              + " ("
              + e
              + ")",
          op,
          url,
          status,
          e);
    } finally {
      observe(op, url, status, Duration.ofMillis(clock.millis() - sent));
    }
  }

  private Map<String, String> headers(BranchContext context, String op, byte[] body) {
    if (signer != null) {
      return signer.sign(context.gid().value(), context.branchId().value(), op, body);
    }
    return Map.of(
        CallSignature.GID_HEADER, context.gid().value(),
        CallSignature.BRANCH_HEADER, context.branchId().value(),
        CallSignature.OP_HEADER, op,
        CallSignature.TIMESTAMP_HEADER, Long.toString(clock.millis()));
  }

  private void observe(String op, URI url, int status, Duration took) {
    if (observer == null) {
      return;
    }
    try {
      observer.onCall(op, url, status, took);
    } catch (RuntimeException e) {
      // A metrics callback must never fail a participant call.
    }
  }

  /**
   * A payload that is not an HTTP target of the right mode can never be delivered, so it is a
   * refusal (the try rolls back, a phase-two call fails for an operator) rather than a retry.
   */
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
              + target.urls().keySet().stream().map(Operation::code).toList()
              + ")");
    }
    return target;
  }

  private static String describe(String op, URI url, BranchContext context) {
    return op
        + " "
        + Snippets.url(url)
        + " [gid="
        + context.gid()
        + ", branch="
        + context.branchId()
        + "]";
  }

  private static String quote(String text) {
    String s = Snippets.of(text, SNIPPET_CHARS);
    return s.isEmpty() ? "(empty body)" : "\"" + s + "\"";
  }

  private record Answer(int status, String text) {}

  /** Settings; only the signer (or an explicit {@link #unsigned()}) is required. */
  public static final class Builder {
    private CallSignature signer;
    private boolean unsigned;
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Clock clock = Clock.systemUTC();
    private CallObserver observer;
    private HttpPoster poster;

    private Builder() {}

    /** Signs every call with this signature's signing key. */
    public Builder signer(CallSignature value) {
      this.signer = Objects.requireNonNull(value, "signer must not be null; or call unsigned()");
      return this;
    }

    /**
     * Sends calls without a signature (Cohort-Gid/Branch/Op/Timestamp only). For development: a
     * participant that verifies signatures refuses these with 401.
     */
    public Builder unsigned() {
      this.unsigned = true;
      return this;
    }

    /** The most one call may take, polls of a 425 included; default 10 s. */
    public Builder callTimeout(Duration value) {
      this.callTimeout = positive("callTimeout", value, DEFAULT_CALL_TIMEOUT);
      return this;
    }

    /** How long to wait for a TCP connection; default 2 s. */
    public Builder connectTimeout(Duration value) {
      this.connectTimeout = positive("connectTimeout", value, DEFAULT_CONNECT_TIMEOUT);
      return this;
    }

    /** Measures call durations and the call timeout's deadline. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock must not be null");
      return this;
    }

    /** Told about every exchange, e.g. to record a latency histogram. */
    public Builder observer(CallObserver value) {
      this.observer = Objects.requireNonNull(value, "observer must not be null");
      return this;
    }

    /**
     * How calls are sent; default {@link HttpPoster#jdk} with {@link #connectTimeout}. The
     * participant closes it when it is closed.
     */
    public Builder poster(HttpPoster value) {
      this.poster = Objects.requireNonNull(value, "poster");
      return this;
    }

    public HttpParticipant build() {
      if (signer == null && !unsigned) {
        throw new IllegalStateException(
            "HttpParticipant needs a signer: call signer(callSignature), or unsigned() to send"
                + " unsigned calls during development");
      }
      if (signer != null && unsigned) {
        throw new IllegalStateException(
            "HttpParticipant was given both a signer and unsigned(); choose one");
      }
      return new HttpParticipant(this);
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
