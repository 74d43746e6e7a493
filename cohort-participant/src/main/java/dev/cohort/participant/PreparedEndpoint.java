package dev.cohort.participant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.api.BranchId;
import dev.cohort.api.Gid;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.protocol.BranchShape;
import dev.cohort.protocol.CallSignature;
import dev.cohort.protocol.CallSignatureException;
import dev.cohort.protocol.Operation;
import dev.cohort.protocol.Snippets;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of a two-phase ({@link #xa}) or three-phase ({@link #threePc}) commit branch:
 * checks the coordinator's signature, then runs the call through {@link PreparedBranches} or {@link
 * ThreePhaseBranches}. Answers (docs/protocol.md, "Two- and three-phase commit"): 200 {@code
 * {"result": "prepared"}} (or committed, already_committed, empty_rollback, ...); 409 a no vote or
 * a call that can no longer be carried out; 400/401/403 as {@link ParticipantEndpoint}; 500 when
 * the work or the database failed (the coordinator treats a failed prepare as a no and retries a
 * failed commit or rollback).
 *
 * <pre>{@code
 * PreparedBranches branches = PreparedBranches.builder(dataSource, Database.POSTGRESQL).build().createSchema();
 * PreparedEndpoint ledger = PreparedEndpoint.xa(branches, signature)
 *     .onPrepare(r -> debit(r.connection(), r.body()))   // left prepared, holding its row locks
 *     .build();
 * server.createContext("/ledger", ledger.jdkHandler());
 * }</pre>
 */
public final class PreparedEndpoint implements ParticipantCallHandler {
  private static final Logger LOG = LoggerFactory.getLogger(PreparedEndpoint.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CallSignature verifier;
  private final BranchShape shape;
  private final Served served;

  /** What one call runs once it is verified and parsed. */
  @FunctionalInterface
  private interface Served {
    PreparedResult run(String gid, String branchId, Operation op, String body) throws Exception;
  }

  private PreparedEndpoint(CallSignature verifier, BranchShape shape, Served served) {
    this.verifier = verifier;
    this.shape = shape;
    this.served = served;
  }

  /** A 2PC branch whose calls must be signed with a key {@code verifier} holds. */
  public static XaBuilder xa(PreparedBranches branches, CallSignature verifier) {
    return new XaBuilder(branches, Objects.requireNonNull(verifier, "verifier (or unsignedXa)"));
  }

  /** A 2PC branch accepting unsigned calls: for tests and local development only. */
  public static XaBuilder unsignedXa(PreparedBranches branches) {
    return new XaBuilder(branches, null);
  }

  /** A 3PC branch whose calls must be signed with a key {@code verifier} holds. */
  public static ThreePcBuilder threePc(ThreePhaseBranches branches, CallSignature verifier) {
    return new ThreePcBuilder(
        branches, Objects.requireNonNull(verifier, "verifier (or unsignedThreePc)"));
  }

  /** A 3PC branch accepting unsigned calls: for tests and local development only. */
  public static ThreePcBuilder unsignedThreePc(ThreePhaseBranches branches) {
    return new ThreePcBuilder(branches, null);
  }

  @Override
  public ParticipantEndpoint.Response handle(UnaryOperator<String> header, byte[] body) {
    byte[] bytes = body == null ? new byte[0] : body;
    if (verifier != null) {
      try {
        verifier.verify(header, bytes);
      } catch (CallSignatureException e) {
        return ParticipantEndpoint.error(
            e.reason().httpStatus(), e.reason().name().toLowerCase(Locale.ROOT), e.getMessage());
      }
    }
    String gid = header.apply(CallSignature.GID_HEADER);
    String branch = header.apply(CallSignature.BRANCH_HEADER);
    String opCode = header.apply(CallSignature.OP_HEADER);
    if (gid == null || branch == null || opCode == null) {
      return ParticipantEndpoint.error(
          400, "bad_request", "headers Cohort-Gid, Cohort-Branch and Cohort-Op are required");
    }
    Operation op = null;
    for (Operation candidate : shape.operations()) {
      if (candidate.code().equals(opCode)) {
        op = candidate;
      }
    }
    try {
      Gid.of(gid);
      BranchId.of(branch);
    } catch (InvalidInputException e) {
      return ParticipantEndpoint.error(400, "bad_request", e.getMessage());
    }
    if (op == null) {
      return ParticipantEndpoint.error(
          400,
          "bad_request",
          "Cohort-Op '"
              + Snippets.of(opCode, 20)
              + "' is not served here; this "
              + shape.mode().code()
              + " endpoint serves "
              + String.join(", ", shape.operations().stream().map(Operation::code).toList()));
    }
    PreparedResult result;
    try {
      result = served.run(gid, branch, op, new String(bytes, StandardCharsets.UTF_8));
    } catch (ParticipantRefusedException e) {
      return ParticipantEndpoint.error(409, "refused", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ParticipantEndpoint.error(500, "internal", op.code() + " was interrupted");
    } catch (Exception e) {
      LOG.warn("{} of {}/{} failed", op.code(), gid, branch, e);
      return ParticipantEndpoint.error(500, "internal", op.code() + " failed: " + e);
    }
    ObjectNode node = JSON.createObjectNode();
    node.put("result", result.name().toLowerCase(Locale.ROOT));
    return new ParticipantEndpoint.Response(200, node.toString());
  }

  /** Collects the prepare work of a 2PC branch; commit and rollback need none. */
  public static final class XaBuilder {
    private final PreparedBranches branches;
    private final CallSignature verifier;
    private BranchWork prepare;

    private XaBuilder(PreparedBranches branches, CallSignature verifier) {
      this.branches = Objects.requireNonNull(branches, "branches");
      this.verifier = verifier;
    }

    /**
     * The business work, run in the local transaction that is then left prepared; {@link
     * BranchRequest#connection()} is that transaction's connection.
     */
    public XaBuilder onPrepare(BranchWork work) {
      this.prepare = Objects.requireNonNull(work, "prepare work");
      return this;
    }

    public PreparedEndpoint build() {
      if (prepare == null) {
        throw new IllegalStateException("the xa endpoint has no prepare work; give onPrepare(...)");
      }
      BranchWork work = prepare;
      return new PreparedEndpoint(
          verifier,
          BranchShape.XA,
          (gid, branch, op, body) ->
              switch (op) {
                case PREPARE ->
                    branches.prepare(
                        gid, branch, c -> work.apply(new BranchRequest(c, gid, branch, op, body)));
                case COMMIT -> branches.commit(gid, branch);
                default -> branches.rollback(gid, branch);
              });
    }
  }

  /** Collects the vote and the work of a 3PC branch. */
  public static final class ThreePcBuilder {
    private final ThreePhaseBranches branches;
    private final CallSignature verifier;
    private BranchWork vote;
    private BranchWork work;

    private ThreePcBuilder(ThreePhaseBranches branches, CallSignature verifier) {
      this.branches = Objects.requireNonNull(branches, "branches");
      this.verifier = verifier;
    }

    /**
     * The can-commit check; it gets no connection ({@link BranchRequest#connection()} is null),
     * because a vote must not lock. Throw {@link ParticipantRefusedException} to vote no.
     */
    public ThreePcBuilder onCanCommit(BranchWork check) {
      this.vote = Objects.requireNonNull(check, "can-commit check");
      return this;
    }

    /** The business work, run at pre-commit in the local transaction then left prepared. */
    public ThreePcBuilder onPreCommit(BranchWork value) {
      this.work = Objects.requireNonNull(value, "pre-commit work");
      return this;
    }

    public PreparedEndpoint build() {
      if (vote == null || work == null) {
        throw new IllegalStateException(
            "the 3pc endpoint needs onCanCommit(...) and onPreCommit(...)");
      }
      BranchWork check = vote;
      BranchWork held = work;
      return new PreparedEndpoint(
          verifier,
          BranchShape.THREE_PC,
          (gid, branch, op, body) ->
              switch (op) {
                case CAN_COMMIT -> {
                  branches.canCommit(
                      gid,
                      branch,
                      () -> check.apply(new BranchRequest(null, gid, branch, op, body)));
                  yield PreparedResult.VOTED;
                }
                case PRE_COMMIT ->
                    branches.preCommit(
                        gid, branch, c -> held.apply(new BranchRequest(c, gid, branch, op, body)));
                case DO_COMMIT -> branches.doCommit(gid, branch);
                default -> branches.abort(gid, branch);
              });
    }
  }
}
