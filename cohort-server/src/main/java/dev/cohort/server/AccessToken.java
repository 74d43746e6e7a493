package dev.cohort.server;

import dev.cohort.protocol.v1.Role;
import java.util.Objects;

/**
 * A bearer token the server accepts, with the role it grants (docs/server.md, "Roles and tokens").
 * The id names the token wherever the server needs to say which one was used (the console's audit
 * trail, log lines); the secret is never shown: {@link #toString()} redacts it.
 *
 * @param id 1-64 characters {@code [A-Za-z0-9._:-]}, unique among the server's tokens
 * @param role what the token may do
 * @param secret at least 16 characters (a random one is best)
 */
public record AccessToken(String id, Role role, String secret) {
  /** Shorter secrets are refused: a token is a password that never needs typing. */
  public static final int MIN_SECRET_CHARS = 16;

  public AccessToken {
    if (id == null || !id.matches("[A-Za-z0-9._:-]{1,64}")) {
      throw new IllegalArgumentException(
          "token id '" + id + "' is invalid; use 1-64 letters, digits, '.', '_', ':', '-'");
    }
    Objects.requireNonNull(role, "role");
    if (secret == null || secret.isBlank() || secret.length() < MIN_SECRET_CHARS) {
      throw new IllegalArgumentException(
          "token '"
              + id
              + "' must have at least "
              + MIN_SECRET_CHARS
              + " characters (a random one is best), had "
              + (secret == null ? 0 : secret.length()));
    }
    if (!secret.equals(secret.strip()) || secret.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new IllegalArgumentException(
          "token '" + id + "' must be printable ASCII without spaces (it travels in a header)");
    }
  }

  public static AccessToken operator(String id, String secret) {
    return new AccessToken(id, Role.OPERATOR, secret);
  }

  public static AccessToken client(String id, String secret) {
    return new AccessToken(id, Role.CLIENT, secret);
  }

  public static AccessToken reader(String id, String secret) {
    return new AccessToken(id, Role.READER, secret);
  }

  @Override
  public String toString() {
    return "AccessToken[id=" + id + ", role=" + role.code() + ", secret=<redacted>]";
  }
}
