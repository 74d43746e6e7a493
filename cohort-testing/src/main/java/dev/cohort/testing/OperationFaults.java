package dev.cohort.testing;

import dev.cohort.protocol.Operation;
import dev.cohort.testing.internal.ScriptedFault;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * The faults scripted for one operation of a {@link FaultInjector}, used up in the order they were
 * added, one per call; calls after the script ran out pass through. Thread-safe.
 */
public final class OperationFaults {
  /** How long {@link #hangNext()} holds a call that is never released. */
  public static final Duration DEFAULT_HANG_TIMEOUT = Duration.ofMinutes(1);

  private final Operation op;
  private final Deque<ScriptedFault> script = new ArrayDeque<>();

  OperationFaults(Operation op) {
    this.op = op;
  }

  /** The next {@code n} calls fail as transient errors without reaching the participant. */
  public synchronized OperationFaults failNext(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("failNext(" + n + "): n must be at least 1");
    }
    for (int i = 0; i < n; i++) {
      script.add(ScriptedFault.of(Fault.FAIL));
    }
    return this;
  }

  /**
   * The next call reaches the participant {@code pause} late (real time: this simulates a slow
   * network, e.g. to run into an HTTP call timeout).
   */
  public synchronized OperationFaults delayNext(Duration pause) {
    Objects.requireNonNull(pause, "pause");
    if (pause.isNegative()) {
      throw new IllegalArgumentException(
          "delayNext(" + pause + "): the pause must not be negative");
    }
    script.add(ScriptedFault.delay(pause));
    return this;
  }

  /** {@link #hangNext(Duration)} with {@link #DEFAULT_HANG_TIMEOUT}. */
  public Hang hangNext() {
    return hangNext(DEFAULT_HANG_TIMEOUT);
  }

  /**
   * The next call waits until the returned hang is released (then it reaches the participant) or
   * {@code timeout} passes (then it fails without reaching it, as a call timeout would end it).
   */
  public synchronized Hang hangNext(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("hangNext(" + timeout + "): the timeout must be positive");
    }
    Hang hang = new Hang(timeout);
    script.add(ScriptedFault.hang(hang::hold, hang::abandon));
    return hang;
  }

  /** The next call is refused on business grounds ({@code reason}) without reaching it. */
  public synchronized OperationFaults refuseNext(String reason) {
    Objects.requireNonNull(reason, "reason");
    script.add(ScriptedFault.refuse(reason));
    return this;
  }

  /**
   * The next call reaches the participant, but the caller is told it failed: the answer was lost (a
   * partition right after delivery).
   */
  public synchronized OperationFaults loseAnswerNext() {
    script.add(ScriptedFault.of(Fault.ANSWER_LOST));
    return this;
  }

  /** The next call reaches the participant twice, to show it is idempotent. */
  public synchronized OperationFaults duplicateNext() {
    script.add(ScriptedFault.of(Fault.DUPLICATE));
    return this;
  }

  /**
   * The next try (or saga action) is held back and answered as a transient failure, so the
   * coordinator rolls back; it reaches the participant right after the cancel (or compensation) of
   * the same branch did. A barrier-backed participant records an empty rollback and refuses the
   * late try.
   */
  public synchronized OperationFaults deliverAfterRollbackNext() {
    if (!op.isUndoable()) {
      throw new IllegalArgumentException(
          op.code()
              + " is never rolled back, so it cannot arrive after its rollback; script this on"
              + " Operation.TRY or Operation.ACTION");
    }
    script.add(ScriptedFault.of(Fault.DELIVER_AFTER_ROLLBACK));
    return this;
  }

  /** How many scripted faults are left. */
  public synchronized int remaining() {
    return script.size();
  }

  /** Drops what is left of the script. */
  public synchronized void clear() {
    script.clear();
  }

  synchronized ScriptedFault next() {
    ScriptedFault f = script.poll();
    return f == null ? ScriptedFault.NONE : f;
  }

  synchronized void abandonHangs() {
    script.forEach(ScriptedFault::abandon);
  }
}
