package dev.cohort.server.console.internal;

import dev.cohort.protocol.v1.Role;
import dev.cohort.server.internal.Access;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console sessions, opened by one of the server's tokens; the token's role decides what the session
 * may do (a reader or client token reads, an operator token also acts). A session id is 32 random
 * bytes; the browser keeps it in an HttpOnly, SameSite=Strict cookie. Each session has its own CSRF
 * token, which every form carries and every POST must return. Sessions live in this node's memory:
 * a restart (or another node behind a load balancer without stickiness) asks for the token again.
 */
final class Sessions {
  /** A session unused for this long is closed. */
  static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);

  /** At most this many sessions; the least recently used one goes when another opens. */
  static final int MAX_SESSIONS = 1_000;

  private final Access access;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> open = new ConcurrentHashMap<>();

  /**
   * One logged-in browser, with the token it logged in with (its id and role, never the secret).
   */
  record Session(
      String id, String csrf, Access.Principal principal, Instant opened, Instant lastSeen) {
    /** A short, stable label for the audit trail; never the id itself, never the token. */
    String label() {
      return "session "
          + csrf.substring(0, 8)
          + " (token '"
          + principal.tokenId()
          + "', "
          + principal.role().code()
          + ")";
    }

    /** Whether this session may retry, resolve or abort: an operator's. */
    boolean canAct() {
      return principal.role().covers(Role.OPERATOR);
    }
  }

  Sessions(Access access, Clock clock) {
    this.access = access;
    this.clock = clock;
  }

  /** The holder of {@code given}; the time does not depend on which token (if any) matched. */
  Optional<Access.Principal> login(String given) {
    return access.token(given);
  }

  Session open(Access.Principal principal) {
    Instant now = clock.instant();
    expire(now);
    if (open.size() >= MAX_SESSIONS) {
      open.values().stream()
          .min((a, b) -> a.lastSeen().compareTo(b.lastSeen()))
          .ifPresent(oldest -> open.remove(oldest.id()));
    }
    Session s = new Session(randomHex(), randomHex(), principal, now, now);
    open.put(s.id(), s);
    return s;
  }

  /** The live session with this id, its idle time restarted; empty when unknown or expired. */
  Optional<Session> find(String id) {
    if (id == null || id.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Session s = open.get(id);
    if (s == null) {
      return Optional.empty();
    }
    if (s.lastSeen().plus(IDLE_TIMEOUT).isBefore(now)) {
      open.remove(id);
      return Optional.empty();
    }
    Session touched = new Session(s.id(), s.csrf(), s.principal(), s.opened(), now);
    open.put(id, touched);
    return Optional.of(touched);
  }

  void close(String id) {
    if (id != null) {
      open.remove(id);
    }
  }

  /** Whether the form's CSRF token is this session's. */
  static boolean csrfMatches(Session s, String given) {
    return given != null
        && MessageDigest.isEqual(
            s.csrf().getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  private void expire(Instant now) {
    for (Iterator<Session> it = open.values().iterator(); it.hasNext(); ) {
      if (it.next().lastSeen().plus(IDLE_TIMEOUT).isBefore(now)) {
        it.remove();
      }
    }
  }

  private String randomHex() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
