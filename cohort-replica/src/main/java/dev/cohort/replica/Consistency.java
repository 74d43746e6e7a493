package dev.cohort.replica;

import dev.cohort.replica.internal.ConsistencyContext;
import java.util.Objects;

/**
 * The calling thread's consistency scopes and session token.
 *
 * <pre>{@code
 * try (Scope s = Consistency.primary()) {        // every statement on the primary
 *   ...
 * }
 * Balance b = Consistency.primary(() -> accounts.balance(id));
 * try (Consistency.Session s = Consistency.session(ConsistencyToken.parse(header))) {
 *   ... reads see the writes the header's token names ...
 * }
 * }</pre>
 *
 * <p>The token of the current session grows with each commit a {@link RoutingDataSource} makes on
 * this thread. Without an explicit {@link #session} the thread has one implicit session; on pooled
 * request threads open a session per request (or call {@link #reset()}), so that one request's
 * token does not make the next one's reads stricter than needed.
 */
public final class Consistency {
  private Consistency() {}

  /** Work that may throw a checked exception of type {@code E}. */
  @FunctionalInterface
  public interface Work<T, E extends Exception> {
    T run() throws E;
  }

  /** A token-carrying scope: a request, a message handler. */
  public interface Session extends Scope {
    /** The session's token now: what it was opened with merged with what it wrote since. */
    ConsistencyToken token();
  }

  /** Until closed, every statement on this thread goes to the primary. Nestable. */
  public static Scope primary() {
    return ConsistencyContext.current().pushPrimary()::close;
  }

  /** Runs {@code work} with every statement on the primary. */
  public static <T, E extends Exception> T primary(Work<T, E> work) throws E {
    Scope s = primary();
    try {
      return work.run();
    } finally {
      s.close();
    }
  }

  /** Until closed, replica reads on this thread follow {@code policy}. Nestable. */
  public static Scope policy(ConsistencyPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    return ConsistencyContext.current().pushPolicy(policy)::close;
  }

  /** Runs {@code work} under {@code policy}. */
  public static <T, E extends Exception> T withPolicy(ConsistencyPolicy policy, Work<T, E> work)
      throws E {
    Scope s = policy(policy);
    try {
      return work.run();
    } finally {
      s.close();
    }
  }

  /**
   * Starts a session whose token begins as {@code incoming} (e.g. parsed from the {@value
   * ConsistencyToken#HEADER} header). On close the thread's previous token is back.
   */
  public static Session session(ConsistencyToken incoming) {
    Objects.requireNonNull(incoming, "incoming");
    ConsistencyContext context = ConsistencyContext.current();
    ConsistencyContext.Frame frame = context.pushSession(incoming);
    return new Session() {
      @Override
      public ConsistencyToken token() {
        return frame.isOpen() ? context.token() : closedToken();
      }

      private ConsistencyToken closedToken() {
        throw new IllegalStateException("session already closed; read its token before closing");
      }

      @Override
      public void close() {
        frame.close();
      }
    };
  }

  /** The current session's token; format it into outgoing headers. */
  public static ConsistencyToken token() {
    return ConsistencyContext.current().token();
  }

  /** Merges {@code written} into the current session's token. */
  public static void observe(ConsistencyToken written) {
    ConsistencyContext.current().observe(Objects.requireNonNull(written, "written"));
  }

  /** Whether a {@link #primary()} scope is open on this thread. */
  public static boolean primaryForced() {
    return ConsistencyContext.current().primaryForced();
  }

  /** Drops this thread's token and scopes. */
  public static void reset() {
    ConsistencyContext.clear();
  }
}
