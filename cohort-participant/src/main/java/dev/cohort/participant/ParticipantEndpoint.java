package dev.cohort.participant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.cohort.api.BranchId;
import dev.cohort.api.Gid;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.protocol.CallSignature;
import dev.cohort.protocol.CallSignatureException;
import dev.cohort.protocol.Operation;
import dev.cohort.protocol.Snippets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The participant side of an HTTP branch, in plain Java: checks the coordinator's signature, runs
 * the business work of the requested operation inside the {@link Barrier} (idempotency, empty
 * rollback, anti-hanging), and answers with the status codes of docs/protocol.md.
 *
 * <pre>{@code
 * ParticipantEndpoint stock = ParticipantEndpoint.tcc(barrier, signature)
 *     .onTry(r -> reserve(r.connection(), r.body()))
 *     .onConfirm(r -> take(r.connection(), r.body()))
 *     .onCancel(r -> release(r.connection(), r.body()))
 *     .build();
 * server.createContext("/stock", stock.jdkHandler());   // one path; Cohort-Op picks the work
 * }</pre>
 *
 * <p>The operation is always taken from the signed {@code Cohort-Op} header, so the same endpoint
 * may be mounted on one path for all operations or on one path per operation. Answers: 200 done
 * (applied, duplicate, empty rollback); 409 refused (the work threw {@link
 * ParticipantRefusedException}, or a try came after its cancel); 425 in progress (the work threw
 * {@link ParticipantInProgressException}); 400/401/403 for a malformed, unsigned or refused
 * signature, or a missing or unknown {@code Cohort-Op}; 500 when the work failed otherwise. Every
 * body is JSON, {@code {"result": ...}} on success and {@code {"error": ..., "message": ...}}
 * otherwise. Thread-safe.
 */
public final class ParticipantEndpoint implements ParticipantCallHandler {
  /** Largest request body {@link #jdkHandler()} reads; the coordinator API has the same limit. */
  public static final int MAX_BODY_BYTES = 1 << 20;

  public static final String CONTENT_TYPE = "application/json; charset=utf-8";

  private static final int MESSAGE_CHARS = 300;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Barrier barrier;
  private final CallSignature verifier;
  private final String kind;
  private final Map<Operation, BranchWork> works;
  private final EndpointErrorListener errors;
  private final BarrierRunner runner;

  private ParticipantEndpoint(
      Barrier barrier,
      CallSignature verifier,
      String kind,
      Map<Operation, BranchWork> works,
      EndpointErrorListener errors,
      BarrierRunner runner) {
    this.runner = runner;
    this.barrier = barrier;
    this.verifier = verifier;
    this.kind = kind;
    this.works = new EnumMap<>(works);
    this.errors = errors;
  }

  /** A TCC participant whose calls must be signed with a key {@code verifier} holds. */
  public static TccBuilder tcc(Barrier barrier, CallSignature verifier) {
    return new TccBuilder(barrier, requireVerifier(verifier, "unsignedTcc"));
  }

  /** A TCC participant that accepts unsigned calls: for tests and local development only. */
  public static TccBuilder unsignedTcc(Barrier barrier) {
    return new TccBuilder(barrier, null);
  }

  /** A saga participant whose calls must be signed with a key {@code verifier} holds. */
  public static SagaBuilder saga(Barrier barrier, CallSignature verifier) {
    return new SagaBuilder(barrier, requireVerifier(verifier, "unsignedSaga"));
  }

  /** A saga participant that accepts unsigned calls: for tests and local development only. */
  public static SagaBuilder unsignedSaga(Barrier barrier) {
    return new SagaBuilder(barrier, null);
  }

  /** What to answer: an HTTP status and a JSON body ({@link #CONTENT_TYPE}). */
  public record Response(int status, String body) {}

  /**
   * Serves one call, whatever the transport.
   *
   * @param header looks a request header up by name, case-insensitively; null when absent
   * @param body the exact request body bytes
   */
  @Override
  public Response handle(UnaryOperator<String> header, byte[] body) {
    Objects.requireNonNull(header, "header");
    byte[] bytes = body == null ? new byte[0] : body;
    if (verifier != null) {
      try {
        verifier.verify(header, bytes);
      } catch (CallSignatureException e) {
        return error(
            e.reason().httpStatus(), e.reason().name().toLowerCase(Locale.ROOT), e.getMessage());
      }
    }
    String gid = header.apply(CallSignature.GID_HEADER);
    String branch = header.apply(CallSignature.BRANCH_HEADER);
    String opCode = header.apply(CallSignature.OP_HEADER);
    if (gid == null || branch == null || opCode == null) {
      return error(
          400,
          "bad_request",
          "headers "
              + CallSignature.GID_HEADER
              + ", "
              + CallSignature.BRANCH_HEADER
              + " and "
              + CallSignature.OP_HEADER
              + " are required");
    }
    try {
      Gid.of(gid);
      BranchId.of(branch);
    } catch (InvalidInputException e) {
      return error(400, "bad_request", e.getMessage());
    }
    Operation op = served(opCode);
    if (op == null) {
      return error(
          400,
          "bad_request",
          CallSignature.OP_HEADER
              + " '"
              + Snippets.of(opCode, 20)
              + "' is not served here; this "
              + kind
              + " endpoint serves "
              + String.join(", ", works.keySet().stream().map(Operation::code).toList()));
    }
    return run(gid, branch, op, new String(bytes, StandardCharsets.UTF_8));
  }

  /** Serves {@code handler} on the JDK's HTTP server: POST only (else 405), bounded bodies. */
  static void serve(ParticipantCallHandler handler, HttpExchange exchange) throws IOException {
    try {
      Response response;
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        response = error(405, "method_not_allowed", "participant calls are POST requests");
      } else {
        byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
        response =
            body.length > MAX_BODY_BYTES
                ? error(413, "payload_too_large", "the body is over " + MAX_BODY_BYTES + " bytes")
                : handler.handle(name -> exchange.getRequestHeaders().getFirst(name), body);
      }
      byte[] out = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      exchange.sendResponseHeaders(response.status(), out.length);
      exchange.getResponseBody().write(out);
    } finally {
      exchange.close();
    }
  }

  private Operation served(String code) {
    for (Operation op : works.keySet()) {
      if (op.code().equals(code)) {
        return op;
      }
    }
    return null;
  }

  private Response run(String gid, String branch, Operation op, String body) {
    BranchWork work = works.get(op);
    BarrierResult result;
    try {
      result =
          runner.run(
              barrier,
              gid,
              branch,
              op,
              connection -> work.apply(new BranchRequest(connection, gid, branch, op, body)));
    } catch (ParticipantRefusedException e) {
      return error(409, "refused", e.getMessage());
    } catch (ParticipantInProgressException e) {
      return error(425, "in_progress", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      report(gid, branch, op, e);
      return error(500, "internal", op.code() + " was interrupted");
    } catch (Exception e) {
      report(gid, branch, op, e);
      return error(500, "internal", op.code() + " failed: " + e);
    }
    if (result == BarrierResult.REFUSED_AFTER_CANCEL) {
      return error(
          409,
          "refused",
          op.code()
              + " arrived after its "
              + (op == Operation.TRY ? "cancel" : "compensation")
              + " had already run; refused so nothing stays reserved");
    }
    ObjectNode node = JSON.createObjectNode();
    node.put("result", result.name().toLowerCase(Locale.ROOT));
    return new Response(200, node.toString());
  }

  private void report(String gid, String branch, Operation op, Exception e) {
    if (errors == null) {
      return;
    }
    try {
      errors.onError(gid, branch, op, e);
    } catch (RuntimeException ignored) {
      // A logging callback must not change the answer.
    }
  }

  static Response error(int status, String error, String message) {
    ObjectNode node = JSON.createObjectNode();
    node.put("error", error);
    node.put("message", Snippets.of(message, MESSAGE_CHARS));
    return new Response(status, node.toString());
  }

  private static CallSignature requireVerifier(CallSignature verifier, String alternative) {
    if (verifier == null) {
      throw new IllegalArgumentException(
          "verifier must not be null: participants check the coordinator's signature. For tests"
              + " without keys use ParticipantEndpoint."
              + alternative
              + "(barrier)");
    }
    return verifier;
  }

  private static Barrier requireBarrier(Barrier barrier) {
    return Objects.requireNonNull(
        barrier, "barrier must not be null; pass Barrier.forDataSource(yourDataSource)");
  }

  private static ParticipantEndpoint build(
      Barrier barrier,
      CallSignature verifier,
      String kind,
      Map<Operation, BranchWork> works,
      EndpointErrorListener errors,
      BarrierRunner runner) {
    for (Operation op : works.keySet()) {
      if (works.get(op) == null) {
        throw new IllegalStateException(
            "the "
                + kind
                + " endpoint has no work for '"
                + op.code()
                + "'; give one (r -> {} when there is nothing to do)");
      }
    }
    return new ParticipantEndpoint(barrier, verifier, kind, works, errors, runner);
  }

  /** Collects the three TCC operations; each is required. */
  public static final class TccBuilder {
    private final Barrier barrier;
    private final CallSignature verifier;
    private final Map<Operation, BranchWork> works = new EnumMap<>(Operation.class);
    private EndpointErrorListener errors;
    private BarrierRunner runner = BarrierRunner.OWN_TRANSACTION;

    private TccBuilder(Barrier barrier, CallSignature verifier) {
      this.barrier = requireBarrier(barrier);
      this.verifier = verifier;
      works.put(Operation.TRY, null);
      works.put(Operation.CONFIRM, null);
      works.put(Operation.CANCEL, null);
    }

    public TccBuilder onTry(BranchWork work) {
      works.put(Operation.TRY, Objects.requireNonNull(work, "try work"));
      return this;
    }

    public TccBuilder onConfirm(BranchWork work) {
      works.put(Operation.CONFIRM, Objects.requireNonNull(work, "confirm work"));
      return this;
    }

    public TccBuilder onCancel(BranchWork work) {
      works.put(Operation.CANCEL, Objects.requireNonNull(work, "cancel work"));
      return this;
    }

    /** Told about work that failed unexpectedly (answered 500), e.g. to log it. */
    public TccBuilder onError(EndpointErrorListener listener) {
      this.errors = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * How the barrier's local transaction is run; default {@link BarrierRunner#OWN_TRANSACTION}.
     */
    public TccBuilder runner(BarrierRunner value) {
      this.runner = Objects.requireNonNull(value, "runner");
      return this;
    }

    public ParticipantEndpoint build() {
      return ParticipantEndpoint.build(barrier, verifier, "tcc", works, errors, runner);
    }
  }

  /** Collects the action and the compensation of a saga step; both are required. */
  public static final class SagaBuilder {
    private final Barrier barrier;
    private final CallSignature verifier;
    private final Map<Operation, BranchWork> works = new EnumMap<>(Operation.class);
    private EndpointErrorListener errors;
    private BarrierRunner runner = BarrierRunner.OWN_TRANSACTION;

    private SagaBuilder(Barrier barrier, CallSignature verifier) {
      this.barrier = requireBarrier(barrier);
      this.verifier = verifier;
      works.put(Operation.ACTION, null);
      works.put(Operation.COMPENSATE, null);
    }

    public SagaBuilder onAction(BranchWork work) {
      works.put(Operation.ACTION, Objects.requireNonNull(work, "action work"));
      return this;
    }

    public SagaBuilder onCompensate(BranchWork work) {
      works.put(Operation.COMPENSATE, Objects.requireNonNull(work, "compensate work"));
      return this;
    }

    /** Told about work that failed unexpectedly (answered 500), e.g. to log it. */
    public SagaBuilder onError(EndpointErrorListener listener) {
      this.errors = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * How the barrier's local transaction is run; default {@link BarrierRunner#OWN_TRANSACTION}.
     */
    public SagaBuilder runner(BarrierRunner value) {
      this.runner = Objects.requireNonNull(value, "runner");
      return this;
    }

    public ParticipantEndpoint build() {
      return ParticipantEndpoint.build(barrier, verifier, "saga", works, errors, runner);
    }
  }
}
