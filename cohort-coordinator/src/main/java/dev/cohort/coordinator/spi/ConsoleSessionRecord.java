package dev.cohort.coordinator.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One console session as the log keeps it, so that every node on the log knows it. The session id
 * itself is never stored: only its digest, which a browser's cookie is hashed to before the
 * look-up.
 *
 * @param idHash the SHA-256 of the session id, 64 lowercase hex characters
 * @param tokenId the id of the token the session logged in with (never the token)
 * @param role the token's role code ({@code operator}, {@code reader}, {@code client})
 * @param csrf the session's CSRF token, which every form of the session carries
 * @param created when the session was opened
 * @param lastSeen when it was last used, as last written (nodes refresh it at most now and then)
 * @param expires when it ends whatever its use (its absolute lifetime)
 */
public record ConsoleSessionRecord(
    String idHash,
    String tokenId,
    String role,
    String csrf,
    Instant created,
    Instant lastSeen,
    Instant expires) {
  public ConsoleSessionRecord {
    Objects.requireNonNull(idHash, "idHash");
    Objects.requireNonNull(tokenId, "tokenId");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(csrf, "csrf");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(lastSeen, "lastSeen");
    Objects.requireNonNull(expires, "expires");
  }
}
