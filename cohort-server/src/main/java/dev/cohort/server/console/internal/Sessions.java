package dev.cohort.server.console.internal;

import dev.cohort.coordinator.spi.ConsoleSessionRecord;
import dev.cohort.coordinator.spi.TransactionStore;
import dev.cohort.protocol.v1.Role;
import dev.cohort.server.internal.Access;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Console sessions, opened by one of the server's tokens; the token's role decides what the session
 * may do (a reader or client token reads, an operator token also acts). A session id is 32 random
 * bytes; the browser keeps it in an HttpOnly, SameSite=Strict cookie. Each session has its own CSRF
 * token, which every form carries and every POST must return.
 *
 * <p>Sessions are kept in the log ({@link TransactionStore#openSession}), so every node on the same
 * log accepts a session any of them opened, and a restart keeps them. The log holds the SHA-256 of
 * the id, never the id, and the token's id and role, never the token. A page view reads the
 * session's row; it writes only when the last write of its last use is {@link #TOUCH_EVERY} old.
 */
final class Sessions {
  private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

  /** A session unused for this long is closed. */
  static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);

  /** A session ends this long after its login, however much it is used. */
  static final Duration MAX_AGE = Duration.ofHours(12);

  /**
   * How stale the stored last use may get before a request refreshes it: a page view costs a read,
   * and a write at most this often per session. The idle timeout counts from the stored value, so a
   * session may end up to this much before {@link #IDLE_TIMEOUT} after its real last use.
   */
  static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  /** At most this many sessions; the least recently used ones go when another opens. */
  static final int MAX_SESSIONS = 1_000;

  private final Access access;
  private final TransactionStore store;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

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

  Sessions(Access access, TransactionStore store, Clock clock) {
    this.access = access;
    this.store = store;
    this.clock = clock;
  }

  /** The holder of {@code given}; the time does not depend on which token (if any) matched. */
  Optional<Access.Principal> login(String given) {
    return access.token(given);
  }

  Session open(Access.Principal principal) {
    Instant now = clock.instant();
    Session s = new Session(randomHex(), randomHex(), principal, now, now);
    store.openSession(
        new ConsoleSessionRecord(
            hash(s.id()),
            principal.tokenId(),
            principal.role().code(),
            s.csrf(),
            now,
            now,
            now.plus(MAX_AGE)),
        now.minus(IDLE_TIMEOUT),
        now,
        MAX_SESSIONS);
    return s;
  }

  /**
   * The live session with this id, its last use moved to now (written when the stored one is {@link
   * #TOUCH_EVERY} old); empty when unknown, idle too long, past its lifetime, or opened with a
   * token the server no longer has (then it is deleted).
   */
  Optional<Session> find(String id) {
    if (id == null || !id.matches("[0-9a-f]{64}")) {
      return Optional.empty(); // not one this console made: no need to ask the log
    }
    String idHash = hash(id);
    Optional<ConsoleSessionRecord> stored = store.session(idHash);
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    ConsoleSessionRecord r = stored.get();
    Instant now = clock.instant();
    if (r.lastSeen().plus(IDLE_TIMEOUT).isBefore(now) || !now.isBefore(r.expires())) {
      store.closeSession(idHash);
      return Optional.empty();
    }
    Access.Principal principal;
    try {
      principal = new Access.Principal(r.tokenId(), Role.fromCode(r.role()));
    } catch (IllegalArgumentException e) {
      store.closeSession(idHash);
      return Optional.empty();
    }
    if (!access.holds(principal)) {
      LOG.info(
          "console: closed a session of token '{}' ({}): the server no longer has that token",
          principal.tokenId(),
          principal.role().code());
      store.closeSession(idHash);
      return Optional.empty();
    }
    if (!r.lastSeen().plus(TOUCH_EVERY).isAfter(now)) {
      store.touchSession(idHash, now);
    }
    return Optional.of(new Session(id, r.csrf(), principal, r.created(), now));
  }

  void close(String id) {
    if (id != null && !id.isEmpty()) {
      store.closeSession(hash(id));
    }
  }

  /** Whether the form's CSRF token is this session's. */
  static boolean csrfMatches(Session s, String given) {
    return given != null
        && MessageDigest.isEqual(
            s.csrf().getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  /** What the log keeps instead of the id: its SHA-256, in hex. */
  static String hash(String id) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private String randomHex() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
