package dev.cohort.protocol.v1;

import dev.cohort.protocol.CallSignature;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link CoordinatorClient} proves who it is: the headers it adds to each request. A bearer
 * token of a role (docs/protocol.md, "Authentication"), or — for a participant asking the outcome
 * of its own transaction — a signature with its own key ({@link CallSignature#signRequest}).
 */
@FunctionalInterface
public interface Credential {
  /**
   * The headers for one request.
   *
   * @param rawPath the path as sent, without the query
   * @param body the exact body bytes (empty for a GET)
   */
  Map<String, String> headers(String method, String rawPath, byte[] body);

  /** {@code Authorization: Bearer <token>} on every request. */
  static Credential bearer(String token) {
    Objects.requireNonNull(token, "token");
    Map<String, String> header = Map.of("Authorization", "Bearer " + token);
    return new Credential() {
      @Override
      public Map<String, String> headers(String method, String rawPath, byte[] body) {
        return header;
      }

      @Override
      public String toString() {
        return "Credential[bearer <redacted>]";
      }
    };
  }

  /**
   * Each request signed with the participant's own key ({@code Cohort-Timestamp} and {@code
   * Cohort-Signature}); the server answers only outcome queries of gids with a branch for that
   * participant.
   */
  static Credential signed(CallSignature signature) {
    Objects.requireNonNull(signature, "signature");
    return new Credential() {
      @Override
      public Map<String, String> headers(String method, String rawPath, byte[] body) {
        return signature.signRequest(method, rawPath, body);
      }

      @Override
      public String toString() {
        return "Credential[signed " + signature + "]";
      }
    };
  }

  /** No credential: only {@code /health} answers. */
  static Credential none() {
    return (method, rawPath, body) -> Map.of();
  }
}
