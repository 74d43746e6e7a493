package dev.cohort.spring;

import dev.cohort.api.Gid;
import dev.cohort.client.Transaction;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;

/**
 * The global transaction open on the calling thread (begun by a {@link GlobalTransaction} method)
 * and the gid received from the caller of this request. A bean; inject it where branches are
 * registered.
 */
// Per instance, not static: two applications in one JVM (tests, a shop started in one process)
// must not see each other's transactions.
@SuppressWarnings("ThreadLocalUsage")
public final class GlobalTransactions {
  private final ThreadLocal<Deque<Transaction>> open = ThreadLocal.withInitial(ArrayDeque::new);
  private final ThreadLocal<Gid> incoming = new ThreadLocal<>();
  private final ThreadLocal<Gid> chosen = new ThreadLocal<>();

  /**
   * The transaction of the innermost {@link GlobalTransaction} method running on this thread.
   *
   * @throws IllegalStateException none is open
   */
  public Transaction current() {
    Transaction tx = open.get().peek();
    if (tx == null) {
      throw new IllegalStateException(
          "no global transaction is open on this thread; call this from inside a method"
              + " annotated @GlobalTransaction (through its Spring proxy, not from the same class)");
    }
    return tx;
  }

  /** The gid of the open transaction, else the one received in {@code Cohort-Gid}. */
  public Optional<Gid> gid() {
    Transaction tx = open.get().peek();
    return tx != null ? Optional.of(tx.gid()) : Optional.ofNullable(incoming.get());
  }

  /** Whether a global transaction is open on this thread. */
  public boolean isOpen() {
    return !open.get().isEmpty();
  }

  /** A thread binding made by the starter's interceptor or filter; close it on the same thread. */
  public interface Binding extends AutoCloseable {
    @Override
    void close();
  }

  /** Makes {@code tx} this thread's current transaction until the binding is closed. */
  public Binding bind(Transaction tx) {
    Deque<Transaction> stack = open.get();
    stack.push(tx);
    return () -> {
      stack.remove(tx);
      if (stack.isEmpty()) {
        open.remove();
      }
    };
  }

  /**
   * The next {@link GlobalTransaction} method begun on this thread while the binding is open uses
   * {@code gid} instead of one the coordinator makes up (e.g. a gid a test harness follows). Only a
   * transaction begun here takes it: a call that joins an open one keeps that one's gid.
   */
  public Binding beginAs(Gid gid) {
    Gid previous = chosen.get();
    chosen.set(Objects.requireNonNull(gid, "gid"));
    return () -> {
      if (previous == null) {
        chosen.remove();
      } else {
        chosen.set(previous);
      }
    };
  }

  /** The gid {@link #beginAs} chose for a transaction begun now on this thread, taken once. */
  public Optional<Gid> takeChosenGid() {
    Gid gid = chosen.get();
    chosen.remove();
    return Optional.ofNullable(gid);
  }

  /** Records the gid received with the current request until the binding is closed. */
  public Binding receive(Gid gid) {
    Gid previous = incoming.get();
    incoming.set(gid);
    return () -> {
      if (previous == null) {
        incoming.remove();
      } else {
        incoming.set(previous);
      }
    };
  }
}
