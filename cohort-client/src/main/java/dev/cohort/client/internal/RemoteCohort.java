package dev.cohort.client.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.CohortException;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.IllegalOperationException;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.api.UnknownTransactionException;
import dev.cohort.client.Branch;
import dev.cohort.client.BranchInfo;
import dev.cohort.client.Cohort;
import dev.cohort.client.CohortAuthException;
import dev.cohort.client.CohortTransportException;
import dev.cohort.client.Transaction;
import dev.cohort.client.TransactionInfo;
import dev.cohort.client.TransactionRolledBackException;
import dev.cohort.client.spi.Checks;
import dev.cohort.client.spi.LazyTransaction;
import dev.cohort.protocol.BranchShape;
import dev.cohort.protocol.HttpTarget;
import dev.cohort.protocol.ModeContract;
import dev.cohort.protocol.ModeContracts;
import dev.cohort.protocol.Operation;
import dev.cohort.protocol.v1.BranchDetail;
import dev.cohort.protocol.v1.BranchJson;
import dev.cohort.protocol.v1.CoordinatorCallException;
import dev.cohort.protocol.v1.CoordinatorClient;
import dev.cohort.protocol.v1.CreateRequest;
import dev.cohort.protocol.v1.ErrorBody;
import dev.cohort.protocol.v1.ErrorCode;
import dev.cohort.protocol.v1.OutcomeBody;
import dev.cohort.protocol.v1.TransactionDetail;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * {@link Cohort} over the server's HTTP API (docs/protocol.md, "Coordinator API"): the protocol's
 * {@link CoordinatorClient}, with the server's errors turned into the exceptions the embedded
 * engine throws.
 */
public final class RemoteCohort implements Cohort {
  private final URI base;
  private final CoordinatorClient client;

  public RemoteCohort(URI server, String token, Duration connectTimeout, Duration requestTimeout) {
    this(server, token, connectTimeout, requestTimeout, null);
  }

  /** With TLS trust for an {@code https} server; null for the JDK's default trust. */
  public RemoteCohort(
      URI server,
      String token,
      Duration connectTimeout,
      Duration requestTimeout,
      SSLContext sslContext) {
    this.base = checkServer(server);
    this.client =
        new CoordinatorClient(
            base,
            Objects.requireNonNull(token, "token"),
            connectTimeout,
            requestTimeout,
            sslContext);
  }

  /** The server's root URL without a trailing slash; refuses anything but http(s)://host[:port]. */
  public static URI checkServer(URI server) {
    if (server == null) {
      throw new InvalidInputException(
          "server must be the coordinator's URL, e.g. http://127.0.0.1:7070");
    }
    String scheme = server.getScheme() == null ? "" : server.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || server.getHost() == null) {
      throw new InvalidInputException(
          "server must be an absolute http(s) URL with a host, e.g. http://127.0.0.1:7070, was '"
              + server
              + "'");
    }
    if (server.getRawQuery() != null || server.getRawFragment() != null) {
      throw new InvalidInputException(
          "server URL '" + server + "' must not have a query or fragment");
    }
    String text = server.toString();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    return URI.create(text);
  }

  @Override
  public Transaction begin(Mode mode) {
    return begin(mode, null);
  }

  @Override
  public Transaction begin(Mode mode, Duration timeout) {
    return begin(mode, null, timeout);
  }

  @Override
  public Transaction begin(Mode mode, Gid gid, Duration timeout) {
    Objects.requireNonNull(mode, "mode");
    Checks.requireTimeout(timeout);
    var created = call(gid, () -> client.create(create(mode, gid, timeout, null, false)));
    return new RemoteTransaction(parse("gid", () -> Gid.of(created.gid())), mode);
  }

  @Override
  public Transaction beginLazily(Mode mode) {
    return beginLazily(mode, null);
  }

  @Override
  public Transaction beginLazily(Mode mode, Duration timeout) {
    ModeContract contract = Checks.require(ModeContracts.protocol(), mode);
    return new LazyTransaction(new HttpLane(mode), contract, timeout, base.toString());
  }

  private static CreateRequest create(
      Mode mode, Gid gid, Duration timeout, List<Branch> branches, boolean submit) {
    return new CreateRequest(
        mode.code(),
        gid == null ? null : gid.value(),
        timeout == null ? null : Math.max(1, timeout.toMillis()),
        null,
        branches == null ? null : branchList(branches),
        submit ? Boolean.TRUE : null);
  }

  private static List<ObjectNode> branchList(List<Branch> branches) {
    List<ObjectNode> list = new ArrayList<>(branches.size());
    for (Branch b : branches) {
      list.add(branchJson(b));
    }
    return list;
  }

  /** A one-shot request; a refused TCC try is its outcome, as in the embedded engine. */
  private Outcome oneShot(CreateRequest body, Gid gid) {
    try {
      return outcomeOf(call(gid, () -> client.submit(body)));
    } catch (TransactionRolledBackException e) {
      return e.outcome();
    }
  }

  private Outcome commitOf(Gid gid) {
    return outcomeOf(call(gid, () -> client.commit(gid.value())));
  }

  private Outcome abortOf(Gid gid) {
    return outcomeOf(call(gid, () -> client.abort(gid.value())));
  }

  private Outcome registerOf(Gid gid, Branch branch) {
    ObjectNode json = branchJson(branch);
    var answer = call(gid, () -> client.register(gid.value(), json));
    return new Outcome(gid, statusOf(answer.status()), null);
  }

  /** One lazy transaction's calls as the documented requests (docs/protocol.md). */
  private final class HttpLane implements LazyTransaction.Lane {
    private final Mode mode;

    HttpLane(Mode mode) {
      this.mode = mode;
    }

    @Override
    public Outcome openWith(Gid gid, Mode mode, Duration timeout, Branch first) {
      CreateRequest body = create(mode, gid, timeout, List.of(first), false);
      return new Outcome(gid, statusOf(call(gid, () -> client.create(body)).status()), null);
    }

    @Override
    public Outcome register(Gid gid, Branch branch) {
      return registerOf(gid, branch);
    }

    @Override
    public Outcome submit(Gid gid, Duration timeout, List<Branch> steps) {
      return oneShot(create(mode, gid, timeout, steps, true), gid);
    }

    @Override
    public Outcome commitEmpty(Gid gid, Mode mode) {
      CreateRequest body = create(mode, gid, null, null, true);
      return outcomeOf(call(gid, () -> client.submit(body)));
    }

    @Override
    public Outcome commit(Gid gid) {
      return commitOf(gid);
    }

    @Override
    public Outcome abort(Gid gid) {
      return abortOf(gid);
    }

    @Override
    public void check(Branch branch) {
      var unused = branchJson(branch);
    }
  }

  @Override
  public Outcome run(Mode mode, List<Branch> branches) {
    Objects.requireNonNull(mode, "mode");
    Checks.requireBranches(mode, branches);
    return oneShot(create(mode, null, null, branches, true), null);
  }

  @Override
  public Outcome runPresumingAbort(List<Branch> tccBranches) {
    Checks.requireBranches(Mode.TCC, tccBranches);
    CreateRequest r = create(Mode.TCC, null, null, tccBranches, true);
    return oneShot(
        new CreateRequest(
            r.mode(), r.gid(), r.timeoutMs(), r.parallel(), true, r.branches(), r.submit()),
        null);
  }

  @Override
  public Outcome outcome(Gid gid) {
    Objects.requireNonNull(gid, "gid");
    TransactionDetail t = call(gid, () -> client.show(gid.value()));
    return new Outcome(gidOf(t.gid()), statusOf(t.status()), t.reason());
  }

  @Override
  public TransactionInfo status(Gid gid) {
    Objects.requireNonNull(gid, "gid");
    TransactionDetail t = call(gid, () -> client.show(gid.value()));
    Mode mode = parse("mode", () -> Mode.fromCode(t.mode()));
    List<BranchInfo> branches = new ArrayList<>(t.branches().size());
    for (BranchDetail b : t.branches()) {
      branches.add(branchInfo(mode, b));
    }
    return new TransactionInfo(
        gidOf(t.gid()),
        mode,
        statusOf(t.status()),
        t.reason(),
        instant("createdAt", t.createdAt()),
        instant("updatedAt", t.updatedAt()),
        instant("deadline", t.deadline()),
        t.attempts(),
        branches);
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "Cohort[" + base + ", token=<redacted>]";
  }

  private static ObjectNode branchJson(Branch b) {
    HttpTarget target =
        b.httpTarget()
            .orElseThrow(() ->
                new InvalidInputException(
                    "branch '"
                        + b.id()
                        + "' is in-process (participant '"
                        + b.participant()
                        + "'): a coordinator server cannot call into this JVM; use"
                        + " Branch.tcc(...) or Branch.saga(...) with the participant's URLs"));
    try {
      return BranchJson.request(b.id(), target, b.forwardRecovery());
    } catch (InvalidInputException e) {
      throw new InvalidInputException("branch '" + b.id() + "' payload is not JSON text");
    }
  }

  private static BranchInfo branchInfo(Mode mode, BranchDetail b) {
    BranchId id = parse("branchId", () -> BranchId.of(b.branchId()));
    BranchStatus status = parse("status", () -> BranchStatus.fromCode(b.status()));
    String payload = b.payloadText();
    HttpTarget target = null;
    if (b.isHttp()) {
      // An HTTP branch carries one URL per operation of its mode's shape.
      target =
          parse(
              "branches",
              () -> {
                BranchShape shape = BranchShape.of(mode);
                Map<Operation, URI> urls = new EnumMap<>(Operation.class);
                for (Operation op : shape.operations()) {
                  urls.put(op, HttpTarget.parseUrl(op.code(), b.url(op)));
                }
                return new HttpTarget(shape, urls, payload);
              });
    }
    return new BranchInfo(
        id,
        status,
        target != null ? HttpTarget.PARTICIPANT : b.participant(),
        target,
        payload,
        b.isForward(),
        b.attempts(),
        b.lastError());
  }

  // --- errors: the protocol's ErrorCode, mapped to the exceptions the embedded engine throws ---

  private <T> T call(Gid gid, Supplier<T> request) {
    try {
      return request.get();
    } catch (CoordinatorCallException e) {
      throw translate(e, gid);
    }
  }

  private RuntimeException translate(CoordinatorCallException e, Gid gid) {
    return switch (e.kind()) {
      case TIMEOUT ->
          new CohortTransportException(
              e.getMessage() + (gid == null ? "" : ", ask outcome(" + gid + ")"), -1, e.getCause());
      case UNREACHABLE, INTERRUPTED ->
          new CohortTransportException(e.getMessage(), -1, e.getCause());
      case MALFORMED -> new CohortTransportException(e.getMessage(), e.status(), e.getCause());
      case ERROR -> error(e, gid);
    };
  }

  private RuntimeException error(CoordinatorCallException e, Gid gid) {
    String what = e.call();
    ErrorBody b = e.body();
    String code = b.error() == null ? "" : b.error();
    String message = e.serverMessage();
    int status = e.status();
    return switch (e.code()) {
      case BAD_REQUEST ->
          new InvalidInputException(
              message + (b.field() != null ? " (field '" + b.field() + "')" : ""));
      case UNAUTHORIZED, FORBIDDEN ->
          new CohortAuthException(
              status,
              what
                  + ": the coordinator at "
                  + base
                  + " refused the token ("
                  + status
                  + " "
                  + code
                  + ": "
                  + message
                  + "); pass a token the server was started with whose role allows this: a client"
                  + " token runs transactions (cohort server --client-token, --tokens-file; the"
                  + " operator's --token or COHORT_TOKEN also works)");
      case NOT_FOUND ->
          gid != null && ErrorCode.NOT_FOUND.code().equals(code)
              ? new UnknownTransactionException(gid)
              : new CohortTransportException(
                  what + ": not found at " + base + " (" + message + "); is this a Cohort server?",
                  status,
                  null);
      case CONFLICT, REFUSED -> conflict(what, e.code(), b, message, gid);
      case UNAVAILABLE ->
          new CohortTransportException(
              what + ": the coordinator's log is unavailable (503): " + message, status, null);
      case METHOD_NOT_ALLOWED,
          PAYLOAD_TOO_LARGE,
          URI_TOO_LONG,
          UNSUPPORTED_MEDIA_TYPE,
          UPGRADE_REQUIRED,
          HEADERS_TOO_LARGE,
          TOO_MANY_CONNECTIONS,
          INTERNAL ->
          new CohortTransportException(
              what + ": the coordinator answered " + status + " " + code + ": " + message,
              status,
              null);
    };
  }

  private static RuntimeException conflict(
      String what, ErrorCode code, ErrorBody b, String message, Gid gid) {
    Gid subject = b.gid() != null ? parse("gid", () -> Gid.of(b.gid())) : gid;
    GlobalStatus current = b.status() != null ? statusOf(b.status()) : null;
    if (code == ErrorCode.REFUSED && subject != null) {
      return new TransactionRolledBackException(
          new Outcome(subject, current == null ? GlobalStatus.ROLLED_BACK : current, message));
    }
    if (subject != null && current != null) {
      // The server's message is usually the engine's, which already names gid and status.
      String prefix = "transaction " + subject + " is " + current.code() + ": ";
      return new IllegalOperationException(
          subject,
          current,
          message.startsWith(prefix) ? message.substring(prefix.length()) : message);
    }
    return new CohortException(what + ": conflict: " + message);
  }

  // --- reading answers; a field that breaks the protocol is a transport error ---

  private static Outcome outcomeOf(OutcomeBody body) {
    return new Outcome(
        parse("gid", () -> Gid.of(body.gid())), statusOf(body.status()), body.reason());
  }

  private static Gid gidOf(String gid) {
    return parse("gid", () -> Gid.of(gid));
  }

  private static GlobalStatus statusOf(String code) {
    return parse("status", () -> GlobalStatus.fromCode(code));
  }

  private static Instant instant(String field, String value) {
    return value == null ? null : parse(field, () -> Instant.parse(value));
  }

  private static <T> T parse(String field, Supplier<T> reader) {
    try {
      return reader.get();
    } catch (InvalidInputException
        | IllegalArgumentException
        | DateTimeParseException
        | NullPointerException e) {
      throw new CohortTransportException(
          "the coordinator's answer has a bad '" + field + "' field: " + e.getMessage(), -1, e);
    }
  }

  private final class RemoteTransaction implements Transaction {
    private final Gid gid;
    private final Mode mode;

    RemoteTransaction(Gid gid, Mode mode) {
      this.gid = gid;
      this.mode = mode;
    }

    @Override
    public Gid gid() {
      return gid;
    }

    @Override
    public Mode mode() {
      return mode;
    }

    @Override
    public Transaction register(Branch branch) {
      Objects.requireNonNull(branch, "branch");
      branch.requireMode(mode);
      var unused = registerOf(gid, branch);
      return this;
    }

    @Override
    public Outcome commit() {
      return commitOf(gid);
    }

    @Override
    public Outcome abort() {
      return abortOf(gid);
    }

    @Override
    public String toString() {
      return "Transaction[" + gid + ", " + mode.code() + ", " + base + "]";
    }
  }
}
