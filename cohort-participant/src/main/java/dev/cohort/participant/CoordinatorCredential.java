package dev.cohort.participant;

/**
 * What a participant shows the coordinator when it asks about a transaction: a bearer token, read
 * on each question so a rotated token is picked up. Kept this small on purpose: the server decides
 * which tokens may read.
 */
@FunctionalInterface
public interface CoordinatorCredential {
  /** No credential: for a server whose reads need none. */
  CoordinatorCredential NONE = () -> null;

  /** The bearer token; null for none. */
  String bearerToken();

  static CoordinatorCredential bearer(String token) {
    return () -> token;
  }
}
