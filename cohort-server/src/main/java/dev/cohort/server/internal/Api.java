package dev.cohort.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.api.DuplicateBranchException;
import dev.cohort.api.DuplicateTransactionException;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.api.UnknownTransactionException;
import dev.cohort.coordinator.BranchSpec;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.TransactionQuery;
import dev.cohort.coordinator.TransactionView;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.TransactionStore;
import dev.cohort.protocol.HttpTarget;
import dev.cohort.protocol.ModeContract;
import dev.cohort.protocol.v1.Created;
import dev.cohort.protocol.v1.ErrorCode;
import dev.cohort.protocol.v1.Registered;
import dev.cohort.server.ParticipantKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The /v1 endpoints as plain methods: validated input in, a status and a JSON body out. */
public final class Api {
  static final long DEFAULT_TIMEOUT_MS = 30_000;
  static final long MAX_TIMEOUT_MS = 86_400_000;
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = TransactionQuery.MAX_LIMIT;
  static final int MAX_BRANCHES = 1000;

  private static final Set<String> CREATE_FIELDS =
      Set.of("mode", "gid", "timeoutMs", "parallel", "presumedAbort", "branches", "submit");
  private static final Set<String> LIST_PARAMS =
      Set.of("status", "mode", "olderThanMs", "newerThanMs", "q", "limit", "after");

  private final Coordinator coordinator;
  private final TransactionStore store;
  private final Clock clock;

  /** {@code store} is the coordinator's log, read for the branches' attempt history. */
  public Api(Coordinator coordinator, TransactionStore store, Clock clock) {
    this.coordinator = coordinator;
    this.store = store;
    this.clock = clock;
  }

  /**
   * A status code and the body to send with it: one of the protocol's bodies (or a JSON tree),
   * which the router writes as JSON; null when the action sent its answer itself.
   */
  public record Reply(int status, Object body) {}

  public Reply create(Body body) {
    body.rejectUnknown(CREATE_FIELDS);
    ModeContract contract = contract(body.requiredText("mode"));
    Mode mode = contract.mode();
    String gidText = body.text("gid");
    Gid gid = gidText == null ? null : Ids.gid(gidText, "gid");
    Duration timeout =
        body.has("timeoutMs")
            ? Duration.ofMillis(body.integer("timeoutMs", 1, MAX_TIMEOUT_MS, DEFAULT_TIMEOUT_MS))
            : null;
    boolean parallel = body.bool("parallel", false);
    if (parallel && !contract.parallel()) {
      throw ApiException.badRequest(
          "parallel",
          "field 'parallel' applies to "
              + coordinator.contracts().parallelCodes()
              + " transactions only; "
              + mode.code()
              + " branches run in order");
    }
    boolean submit = body.bool("submit", false);
    JsonNode branches = body.raw("branches");
    boolean presumedAbort = body.bool("presumedAbort", false);
    if (presumedAbort && (!submit || branches == null || branches.isNull())) {
      throw ApiException.badRequest(
          "presumedAbort",
          "field 'presumedAbort' applies to one-shot transactions (\"branches\" with \"submit\":"
              + " true): a transaction created first is in the log before its branches run");
    }
    if (parallel && (branches == null || branches.isNull())) {
      throw ApiException.badRequest(
          "parallel",
          "field 'parallel' applies to one-shot "
              + mode.code()
              + " transactions (with 'branches'); registered branches are tried one at a time, as they arrive");
    }
    if (branches != null && !branches.isNull()) {
      List<Branches.Spec> specs = specs(contract, branches);
      if (!submit) {
        if (parallel) {
          throw ApiException.badRequest(
              "parallel",
              "field 'parallel' applies to one-shot "
                  + mode.code()
                  + " transactions (\"submit\": true); registered branches are tried one at a time, as they arrive");
        }
        return openWith(mode, gid, timeout, specs);
      }
      try {
        List<BranchSpec> plan = specs.stream().map(Api::branchSpec).toList();
        return new Reply(
            200, Views.outcome(coordinator.run(mode, timeout, gid, plan, parallel, presumedAbort)));
      } catch (DuplicateTransactionException e) {
        throw duplicate(gid, e);
      }
    }
    if (submit) {
      // A lazily begun transaction that nothing was registered into: one write, committed.
      return new Reply(200, Views.outcome(coordinator.commitEmpty(mode, gid)));
    }
    Outcome opened;
    try {
      opened = coordinator.open(mode, timeout, gid);
    } catch (DuplicateTransactionException e) {
      throw duplicate(gid, e);
    }
    GlobalRecord g = coordinator.find(opened.gid()).global();
    return new Reply(
        201,
        new Created(
            g.gid().value(), g.mode().code(), g.status().code(), Views.time(g.deadline()), null));
  }

  /** A 409 for a gid that is taken, with the status of the transaction that has it. */
  private ApiException duplicate(Gid gid, DuplicateTransactionException e) {
    return conflictOn(gid, e);
  }

  private ApiException conflictOn(Gid gid, RuntimeException e) {
    GlobalStatus status = null;
    try {
      status = gid == null ? null : coordinator.find(gid).status();
    } catch (UnknownTransactionException raced) {
      // cannot happen for a duplicate; answered without a status
    }
    return ApiException.conflict(e.getMessage(), status, gid == null ? null : gid.value());
  }

  /**
   * Creates an open transaction with its first branches: the first is written with the transaction
   * (one durable write), the others are registered after it, each TCC try before the next.
   */
  private Reply openWith(Mode mode, Gid gid, Duration timeout, List<Branches.Spec> specs) {
    Outcome outcome;
    try {
      outcome = coordinator.open(mode, timeout, gid, branchSpec(specs.getFirst()));
      for (int i = 1; i < specs.size() && outcome.status() == GlobalStatus.OPEN; i++) {
        outcome = coordinator.register(outcome.gid(), branchSpec(specs.get(i)));
      }
    } catch (DuplicateBranchException e) {
      // The same request again after a lost answer: its branches are in already. The 409 says
      // where the transaction is, as for a taken gid, so the client can carry on from there.
      throw conflictOn(gid, e);
    }
    if (outcome.status() != GlobalStatus.OPEN) {
      throw refused(outcome);
    }
    return new Reply(
        201,
        new Created(
            outcome.gid().value(), mode.code(), outcome.status().code(), null, specs.size()));
  }

  private static BranchSpec branchSpec(Branches.Spec spec) {
    return new BranchSpec(
        spec.id(), HttpTarget.PARTICIPANT, spec.target().encode(), spec.forward());
  }

  /** The try refused, failed or timed out and the engine rolled the transaction back. */
  private static ApiException refused(Outcome outcome) {
    return new ApiException(
        ErrorCode.REFUSED,
        outcome.reason() == null ? "the branch's try did not succeed" : outcome.reason(),
        null,
        outcome.status(),
        outcome.gid().value());
  }

  private static List<Branches.Spec> specs(ModeContract contract, JsonNode branches) {
    if (!branches.isArray() || branches.isEmpty()) {
      throw ApiException.badRequest("branches", "field 'branches' must be a non-empty array");
    }
    if (branches.size() > MAX_BRANCHES) {
      throw ApiException.badRequest(
          "branches",
          "a transaction has at most " + MAX_BRANCHES + " branches, was " + branches.size());
    }
    List<Branches.Spec> specs = new ArrayList<>();
    Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < branches.size(); i++) {
      String where = "branches[" + i + "]";
      Branches.Spec spec =
          Branches.read(Body.nested(branches.get(i), where), contract, "b" + (i + 1));
      if (!ids.add(spec.id().value())) {
        throw ApiException.badRequest(
            where + ".branchId", "branch id '" + spec.id() + "' appears twice in 'branches'");
      }
      specs.add(spec);
    }
    return specs;
  }

  public Reply register(Gid gid, Body body) {
    Mode mode = coordinator.find(gid).global().mode();
    ModeContract contract =
        coordinator
            .contracts()
            .find(mode)
            .orElseThrow(() ->
                ApiException.badRequest(
                    null,
                    "transaction "
                        + gid
                        + " is "
                        + mode.code()
                        + ", a mode this coordinator takes no HTTP branches for (it takes them for "
                        + coordinator.contracts().codes()
                        + ")"));
    Branches.Spec spec = Branches.read(body, contract, null);
    Outcome outcome = coordinator.register(gid, branchSpec(spec));
    if (outcome.status() != GlobalStatus.OPEN) {
      throw refused(outcome);
    }
    return new Reply(
        contract.registration().registerStatus(),
        new Registered(gid.value(), spec.id().value(), outcome.status().code()));
  }

  public Reply commit(Gid gid) {
    return new Reply(200, Views.outcome(coordinator.commit(gid)));
  }

  public Reply abort(Gid gid) {
    return new Reply(200, Views.outcome(coordinator.abort(gid)));
  }

  public Reply show(Gid gid) {
    return new Reply(200, Views.transaction(coordinator.find(gid), store.attempts(gid)));
  }

  /**
   * The outcome for a reader (or higher): a gid the log does not know is recorded rolled back first
   * (presumed abort), so the answer is final; see {@link Coordinator#outcomeForParticipant}.
   */
  public Reply outcome(Gid gid) {
    return new Reply(
        200, Views.outcomeForParticipant(coordinator.outcomeForParticipant(gid).global()));
  }

  /**
   * The outcome for a participant that signed its query: answered only when a branch of {@code gid}
   * has a URL on one of its key's hosts. An unknown gid gets the same 403 as another participant's,
   * so a key cannot probe which gids exist — and a participant never mistakes "not yours" for
   * "unknown" (which presumed abort would roll back).
   */
  public Reply outcome(Gid gid, ParticipantKey participant) {
    TransactionView view;
    try {
      view = coordinator.find(gid);
    } catch (UnknownTransactionException e) {
      view = null;
    }
    if (view == null || !Access.targets(participant, view.branches())) {
      throw new ApiException(
          ErrorCode.FORBIDDEN,
          "participant key '"
              + participant.keyId()
              + "' may ask only about transactions with a branch on its hosts "
              + participant.hosts()
              + "; gid '"
              + gid.value()
              + "' is not one (whether or not it exists is not said)",
          null,
          null,
          null);
    }
    return new Reply(200, Views.outcomeForParticipant(view.global()));
  }

  public Reply retry(Gid gid) {
    return new Reply(200, Views.outcome(coordinator.retryNow(gid)));
  }

  public Reply resolve(Gid gid, Body body) {
    body.rejectUnknown(Set.of("reason"));
    String reason = body.requiredText("reason");
    if (reason.isBlank()) {
      throw ApiException.badRequest("reason", "field 'reason' must say how it was settled");
    }
    return new Reply(200, Views.outcome(coordinator.markResolved(gid, reason)));
  }

  public Reply list(Map<String, String> params) {
    for (String name : params.keySet()) {
      if (!LIST_PARAMS.contains(name)) {
        throw ApiException.badRequest(
            name,
            "unknown query parameter '"
                + name
                + "'; known: "
                + String.join(", ", LIST_PARAMS.stream().sorted().toList()));
      }
    }
    Set<GlobalStatus> statuses = EnumSet.noneOf(GlobalStatus.class);
    String statusParam = params.get("status");
    if (statusParam != null && !statusParam.isEmpty()) {
      for (String code : statusParam.split(",", -1)) {
        statuses.add(status(code.trim()));
      }
    }
    Mode mode = params.get("mode") == null ? null : contract(params.get("mode")).mode();
    Instant now = clock.instant();
    Instant createdBefore = ageBound(params, "olderThanMs", now);
    Instant createdAfter = ageBound(params, "newerThanMs", now);
    int limit = (int) number(params, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
    String after = params.get("after");
    Gid afterGid = after == null || after.isEmpty() ? null : Ids.gid(after, "after");
    String text = params.get("q");
    List<GlobalRecord> page =
        search(statuses, mode, createdAfter, createdBefore, emptyToNull(text), limit, afterGid);
    return new Reply(200, Views.page(page, limit));
  }

  private List<GlobalRecord> search(
      Set<GlobalStatus> statuses,
      Mode mode,
      Instant createdAfter,
      Instant createdBefore,
      String text,
      int limit,
      Gid after) {
    if (createdAfter != null && createdBefore != null && createdBefore.isBefore(createdAfter)) {
      throw ApiException.badRequest(
          "olderThanMs", "'olderThanMs' must be smaller than 'newerThanMs': no age is in between");
    }
    if (text != null && text.length() > TransactionQuery.MAX_TEXT) {
      throw ApiException.badRequest(
          "q", "query parameter 'q' has at most " + TransactionQuery.MAX_TEXT + " characters");
    }
    return coordinator.search(
        new TransactionQuery(statuses, mode, createdAfter, createdBefore, text, limit, after));
  }

  private static Instant ageBound(Map<String, String> params, String name, Instant now) {
    if (!params.containsKey(name)) {
      return null;
    }
    return now.minusMillis(number(params, name, 0, 100L * 365 * 86_400_000, 0));
  }

  private static long number(
      Map<String, String> params, String name, long min, long max, long fallback) {
    String value = params.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below with the expected range
    }
    throw ApiException.badRequest(
        name,
        "query parameter '"
            + name
            + "' must be a whole number from "
            + min
            + " to "
            + max
            + ", was \""
            + shorten(value)
            + "\"");
  }

  /** The contract of the mode named: one this coordinator runs and clients can reach. */
  private ModeContract contract(String code) {
    return coordinator.contracts().find(code).orElseThrow(() -> unknownMode(code));
  }

  private ApiException unknownMode(String code) {
    return ApiException.badRequest(
        "mode",
        "field 'mode' must be one of: "
            + coordinator.contracts().codes()
            + " (was \""
            + shorten(code)
            + "\")");
  }

  private static GlobalStatus status(String code) {
    try {
      return GlobalStatus.fromCode(code);
    } catch (InvalidInputException e) {
      List<String> known = new ArrayList<>();
      for (GlobalStatus s : GlobalStatus.values()) {
        known.add(s.code());
      }
      throw ApiException.badRequest(
          "status",
          "query parameter 'status' has unknown code \""
              + shorten(code)
              + "\"; known: "
              + String.join(", ", known));
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
