package dev.cohort.protocol.v1;

import java.util.Locale;

/**
 * What a bearer token may do on the coordinator API (docs/protocol.md, "Authentication"). Each role
 * includes the ones before it: a client can read, an operator can do what a client does.
 */
public enum Role {
  /** Reads: queries, the list, a participant's outcome, metrics, the console's pages. */
  READER,
  /**
   * An application that runs transactions: create, register, commit, submit, abort — and read. Not
   * retry or resolve: a service that starts transactions must not be able to settle others' failed
   * ones by hand.
   */
  CLIENT,
  /** Everything, including retry, resolve and the console's actions. */
  OPERATOR;

  /** Whether a token of this role may call an endpoint that needs {@code needed}. */
  public boolean covers(Role needed) {
    return compareTo(needed) >= 0;
  }

  /** The lower-case name used in options, files and messages ({@code reader}, ...). */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code code}; an unknown name is an {@link IllegalArgumentException}. */
  public static Role fromCode(String code) {
    for (Role r : values()) {
      if (r.code().equals(code)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "role '" + code + "' is not a role; use reader, client or operator");
  }
}
