package dev.cohort.server.console.internal;

import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.UnknownTransactionException;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.TransactionView;
import dev.cohort.coordinator.spi.AttemptRecord;
import dev.cohort.coordinator.spi.AuditRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.StoreException;
import dev.cohort.coordinator.spi.TransactionStore;
import dev.cohort.protocol.ModeContract;
import dev.cohort.server.internal.Access;
import java.net.URI;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's pages and actions, behind its login. Every path but the login form and the static
 * files needs a live session; every POST also needs the session's CSRF token and, when the browser
 * sends an {@code Origin}, this server's own. The checks run here, on the server, whatever the page
 * showed.
 */
public final class ConsoleApp {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleApp.class);

  public static final String PREFIX = "/console";
  static final String COOKIE = "cohort_console";
  private static final int AUDIT_SHOWN = 200;

  private final Coordinator coordinator;
  private final TransactionStore store;
  private final Clock clock;
  private final Sessions sessions;
  private final Operations operations;
  private final Overview overview;
  private final StaticFiles files = new StaticFiles();

  /**
   * The outcome of the last action, shown once on the next page of that session when this node
   * serves it (kept in memory: the audit trail in the log is what every node shows).
   */
  private record Flash(String message, boolean ok) {}

  private final Map<String, Flash> flashes = new ConcurrentHashMap<>();

  public ConsoleApp(Coordinator coordinator, TransactionStore store, Access access, Clock clock) {
    this.coordinator = coordinator;
    this.store = store;
    this.clock = clock;
    this.sessions = new Sessions(access, store, clock);
    this.operations = new Operations(coordinator, store, clock);
    this.overview = new Overview(store, clock);
  }

  public ConsoleResponse handle(ConsoleRequest req) {
    try {
      return route(req);
    } catch (StoreException e) {
      LOG.warn("console: the log did not answer for {} {}", req.method(), req.path(), e);
      return ConsoleResponse.page(
          503,
          Layout.page(
              "Log unavailable",
              null,
              Map.of(),
              FormPages.problem(
                  "The log does not answer", "Try again shortly. (" + e.getMessage() + ")")));
    }
  }

  private ConsoleResponse route(ConsoleRequest req) {
    if (!req.isPost() && !"GET".equals(req.method())) {
      return ConsoleResponse.of(
          405,
          "text/plain; charset=utf-8",
          "the console answers GET and POST only".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          Map.of("Allow", "GET, POST"));
    }
    String path = req.path();
    if (path.equals(PREFIX) || path.equals(PREFIX + "/")) {
      return ConsoleResponse.redirect(PREFIX + "/overview", Map.of());
    }
    if (path.startsWith(PREFIX + "/static/")) {
      return files.serve(path.substring((PREFIX + "/static/").length()));
    }
    if (path.equals(PREFIX + "/login")) {
      return req.isPost() ? login(req) : loginPage(200, null);
    }
    Optional<Sessions.Session> session = sessions.find(req.cookies().get(COOKIE));
    if (session.isEmpty()) {
      return refuseAnonymous(req);
    }
    Sessions.Session s = session.get();
    if (req.isPost()) {
      Optional<ConsoleResponse> refused = checkPost(req, s);
      if (refused.isPresent()) {
        return refused.get();
      }
    }
    String rest = path.substring(PREFIX.length());
    if (rest.equals("/logout") && req.isPost()) {
      sessions.close(s.id());
      flashes.remove(s.id());
      return ConsoleResponse.redirect(PREFIX + "/login", Map.of("Set-Cookie", clearCookie()));
    }
    if (req.isPost() && !rest.startsWith("/transactions/")) {
      return notFound(s);
    }
    return switch (rest) {
      case "/overview" ->
          page(s, "Overview", OverviewPage.body(overview.figures(), store.recentAudit(10)));
      case "/transactions" -> list(req, s);
      case "/counts" -> ConsoleResponse.json(countsJson());
      default -> rest.startsWith("/transactions/") ? transaction(req, s, rest) : notFound(s);
    };
  }

  private ConsoleResponse list(ConsoleRequest req, Sessions.Session s) {
    Collection<ModeContract> modes = coordinator.contracts().all();
    SearchForm form = SearchForm.parse(req.query(), modes, clock.instant());
    Optional<Gid> exact = form.errors.isEmpty() ? form.exactGid() : Optional.empty();
    if (exact.isPresent() && store.load(exact.get()).isPresent()) {
      // A whole gid typed alone: its page at once, instead of a scan for the text.
      return ConsoleResponse.redirect(
          PREFIX + "/transactions/" + ListPage.path(exact.get().value()), Map.of());
    }
    List<GlobalRecord> rows = form.errors.isEmpty() ? store.search(form.query()) : null;
    int status = form.errors.isEmpty() ? 200 : 400;
    return ConsoleResponse.page(
        status,
        Layout.page(
            "Transactions", s, counts(), ListPage.body(form, rows, modes, clock.instant())));
  }

  /** {@code /transactions/{gid}}, {@code .../confirm}, and the POST of an action. */
  private ConsoleResponse transaction(ConsoleRequest req, Sessions.Session s, String rest) {
    String[] parts = rest.substring("/transactions/".length()).split("/", -1);
    if (parts.length > 2) {
      return notFound(s);
    }
    Gid gid;
    try {
      gid = Gid.of(parts[0]);
    } catch (InvalidInputException e) {
      return problem(s, 400, "Not a gid", e.getMessage());
    }
    TransactionView view;
    try {
      view = coordinator.find(gid);
    } catch (UnknownTransactionException e) {
      return problem(s, 404, "Unknown transaction", "The log has no transaction " + gid + ".");
    }
    if (parts.length == 1 && !req.isPost()) {
      Flash flash = flashes.remove(s.id());
      List<AuditRecord> audit = store.audit(gid, AUDIT_SHOWN);
      List<AttemptRecord> attempts = store.attempts(gid);
      return page(
          s,
          gid.value(),
          TransactionPage.body(
              view,
              attempts,
              audit,
              flash == null ? null : flash.message(),
              flash != null && flash.ok(),
              s.canAct(),
              clock.instant()));
    }
    if (!s.canAct()) {
      // Checked here, whatever the page showed: a reader's session never reaches an action.
      LOG.warn(
          "console: refused {} {} from {}: {} may not act",
          req.method(),
          req.path(),
          req.remote(),
          s.label());
      return problem(
          s,
          403,
          "Read only",
          "You are logged in with token '"
              + s.principal().tokenId()
              + "', role "
              + s.principal().role().code()
              + ": it can look, not act. Log in with an operator token to retry, resolve or"
              + " abort.");
    }
    String actionCode = parts.length == 2 ? parts[1] : "";
    if (actionCode.equals("confirm") && !req.isPost()) {
      Operations.Action action = Operations.Action.fromCode(req.param("action"));
      if (action == null) {
        return problem(s, 400, "Unknown action", "Choose retry, resolve or abort.");
      }
      return page(s, action.label, FormPages.confirm(action, view.global(), s, null));
    }
    Operations.Action action = Operations.Action.fromCode(actionCode);
    if (action == null || !req.isPost()) {
      return notFound(s);
    }
    String reason = req.field("reason");
    if (action == Operations.Action.RESOLVE && reason.isBlank()) {
      return ConsoleResponse.page(
          400,
          Layout.page(
              action.label,
              s,
              counts(),
              FormPages.confirm(
                  action,
                  view.global(),
                  s,
                  "A reason is required: say how the transaction was settled.")));
    }
    Operations.Result result = operations.run(action, gid, reason, actor(req, s));
    if (flashes.size() >= Sessions.MAX_SESSIONS) {
      // A line whose page went to another node (a balancer) is never taken here: keep this map
      // bounded; the audit trail still says what happened.
      flashes.clear();
    }
    flashes.put(s.id(), new Flash(result.message(), result.done()));
    return ConsoleResponse.redirect(
        PREFIX + "/transactions/" + ListPage.path(gid.value()), Map.of());
  }

  private ConsoleResponse login(ConsoleRequest req) {
    if (!sameOrigin(req)) {
      return loginPage(403, "The login form must be sent from this console's own page.");
    }
    Optional<Access.Principal> principal = sessions.login(req.field("token"));
    if (principal.isEmpty()) {
      LOG.info("console: a login from {} gave a wrong token", req.remote());
      return loginPage(401, "That is not one of this server's tokens.");
    }
    Sessions.Session s = sessions.open(principal.get());
    LOG.info(
        "console: token '{}' ({}) logged in from {}",
        s.principal().tokenId(),
        s.principal().role().code(),
        req.remote());
    return ConsoleResponse.redirect(PREFIX + "/overview", Map.of("Set-Cookie", cookie(s.id())));
  }

  /** A page without a session: the login form for a GET; a refusal for anything else. */
  private ConsoleResponse refuseAnonymous(ConsoleRequest req) {
    if (req.path().equals(PREFIX + "/counts")) {
      return ConsoleResponse.of(
          401,
          ConsoleResponse.JSON,
          "{\"error\":\"unauthorized\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          Map.of());
    }
    if (req.isPost()) {
      return loginPage(401, "Your session has ended; log in again, then repeat the action.");
    }
    return ConsoleResponse.redirect(PREFIX + "/login", Map.of());
  }

  private Optional<ConsoleResponse> checkPost(ConsoleRequest req, Sessions.Session s) {
    if (!sameOrigin(req) || !Sessions.csrfMatches(s, req.field("csrf"))) {
      LOG.warn("console: refused a POST to {} from {} (CSRF check)", req.path(), req.remote());
      return Optional.of(
          problem(
              s,
              403,
              "Refused",
              "The form did not come from this console's page (its CSRF token or origin is"
                  + " wrong). Reload the page and try again."));
    }
    return Optional.empty();
  }

  /** A browser's {@code Origin}, when sent, must name the host the request was sent to. */
  static boolean sameOrigin(ConsoleRequest req) {
    if (req.origin().isEmpty()) {
      return true; // older browsers and curl; the CSRF token and SameSite cookie still hold
    }
    try {
      URI origin = URI.create(req.origin().get());
      String authority = origin.getAuthority();
      return authority != null && authority.equalsIgnoreCase(req.host());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String actor(ConsoleRequest req, Sessions.Session s) {
    return "console " + s.label() + " from " + req.remote();
  }

  private static String cookie(String id) {
    return COOKIE + "=" + id + "; Path=" + PREFIX + "; HttpOnly; SameSite=Strict";
  }

  private static String clearCookie() {
    return COOKIE + "=; Path=" + PREFIX + "; Max-Age=0; HttpOnly; SameSite=Strict";
  }

  private Map<GlobalStatus, Long> counts() {
    return store.countByStatus();
  }

  private String countsJson() {
    Map<GlobalStatus, Long> counts = counts();
    StringBuilder b = new StringBuilder("{");
    for (GlobalStatus s : GlobalStatus.values()) {
      if (b.length() > 1) {
        b.append(',');
      }
      b.append('"').append(s.code()).append("\":").append(counts.getOrDefault(s, 0L));
    }
    return b.append('}').toString();
  }

  private ConsoleResponse page(Sessions.Session s, String title, String body) {
    return ConsoleResponse.page(200, Layout.page(title, s, counts(), body));
  }

  private ConsoleResponse problem(Sessions.Session s, int status, String title, String message) {
    return ConsoleResponse.page(
        status, Layout.page(title, s, counts(), FormPages.problem(title, message)));
  }

  private ConsoleResponse notFound(Sessions.Session s) {
    return problem(s, 404, "Not found", "The console has no such page.");
  }

  private static ConsoleResponse loginPage(int status, String message) {
    return ConsoleResponse.page(
        status, Layout.page("Log in", null, Map.of(), FormPages.login(message)));
  }
}
