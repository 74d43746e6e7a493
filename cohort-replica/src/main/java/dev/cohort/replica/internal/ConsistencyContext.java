package dev.cohort.replica.internal;

import dev.cohort.replica.ConsistencyPolicy;
import dev.cohort.replica.ConsistencyToken;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The consistency state of one thread: the session token, the force-primary depth, the policy
 * override and the critical-write scope. Scopes are frames on a stack; closing a frame also closes
 * every frame opened after it (a forgotten inner close cannot leak state past the outer scope), and
 * closing twice is harmless.
 *
 * <p>This is the one piece of thread-bound state in cohort-replica, reached only through {@code
 * Consistency} and the routing connections. It holds no configuration.
 */
public final class ConsistencyContext {
  private static final ThreadLocal<ConsistencyContext> CURRENT =
      ThreadLocal.withInitial(ConsistencyContext::new);

  private final Thread owner = Thread.currentThread();
  private final Deque<Frame> frames = new ArrayDeque<>();
  private ConsistencyToken token = ConsistencyToken.EMPTY;
  private List<PendingSource> pending = List.of();
  private int forcePrimary;
  private ConsistencyPolicy policy;
  private CriticalState critical;

  private ConsistencyContext() {}

  public static ConsistencyContext current() {
    return CURRENT.get();
  }

  /** Forgets everything on this thread (end of a request on a pooled thread). */
  public static void clear() {
    CURRENT.remove();
  }

  /**
   * The session token, first resolving sources written since it was last read (their primary's
   * current position covers those commits).
   *
   * @throws IllegalStateException when a written source's primary cannot tell its position
   */
  public ConsistencyToken token() {
    if (!pending.isEmpty()) {
      ConsistencyToken t = token;
      for (PendingSource source : pending) {
        t = t.merge(source.currentToken());
      }
      token = t;
      pending = List.of();
    }
    return token;
  }

  /**
   * Notes that this session committed a write on {@code source}. Its position is read lazily, when
   * the token is next needed, so a write costs no extra round trip.
   */
  public void written(PendingSource source) {
    if (!pending.contains(source)) {
      List<PendingSource> next = new ArrayList<>(pending);
      next.add(source);
      pending = List.copyOf(next);
    }
  }

  /** A source whose current primary position can be read. */
  public interface PendingSource {
    ConsistencyToken currentToken();
  }

  public void observe(ConsistencyToken written) {
    token = token.merge(written);
  }

  public boolean primaryForced() {
    return forcePrimary > 0;
  }

  public ConsistencyPolicy policyOr(ConsistencyPolicy fallback) {
    return policy == null ? fallback : policy;
  }

  public CriticalState critical() {
    return critical;
  }

  public Frame pushPrimary() {
    Frame f = new Frame(this, false);
    forcePrimary++;
    return f;
  }

  public Frame pushPolicy(ConsistencyPolicy p) {
    Frame f = new Frame(this, false);
    policy = p;
    return f;
  }

  public Frame pushSession(ConsistencyToken start) {
    Frame f = new Frame(this, true);
    token = start;
    pending = List.of();
    return f;
  }

  public Frame pushCritical(CriticalState state) {
    Frame f = new Frame(this, false);
    critical = state;
    return f;
  }

  /** State a critical-write scope keeps while open. */
  public interface CriticalState {}

  /** One open scope. */
  public static final class Frame {
    private final ConsistencyContext context;
    private final boolean restoresToken;
    private final ConsistencyToken savedToken;
    private final List<PendingSource> savedPending;
    private final int savedForcePrimary;
    private final ConsistencyPolicy savedPolicy;
    private final CriticalState savedCritical;

    private Frame(ConsistencyContext context, boolean restoresToken) {
      this.context = context;
      this.restoresToken = restoresToken;
      this.savedToken = context.token;
      this.savedPending = context.pending;
      this.savedForcePrimary = context.forcePrimary;
      this.savedPolicy = context.policy;
      this.savedCritical = context.critical;
      context.frames.push(this);
    }

    /** Whether this frame (and so every frame above it) is still open. */
    public boolean isOpen() {
      return context.frames.contains(this);
    }

    public void close() {
      if (Thread.currentThread() != context.owner) {
        throw new IllegalStateException(
            "a consistency scope must be closed on the thread that opened it ("
                + context.owner.getName()
                + "), not on "
                + Thread.currentThread().getName());
      }
      if (!isOpen()) {
        return;
      }
      Frame popped;
      do {
        popped = context.frames.pop();
        context.forcePrimary = popped.savedForcePrimary;
        context.policy = popped.savedPolicy;
        context.critical = popped.savedCritical;
        if (popped.restoresToken) {
          context.token = popped.savedToken;
          context.pending = popped.savedPending;
        }
      } while (popped != this);
    }
  }
}
