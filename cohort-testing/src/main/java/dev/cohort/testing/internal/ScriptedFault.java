package dev.cohort.testing.internal;

import dev.cohort.testing.Fault;
import java.time.Duration;

/**
 * One scripted fault and its data.
 *
 * @param pause for {@link Fault#DELAY}
 * @param reason for {@link Fault#REFUSE}
 * @param hold for {@link Fault#HANG}: waits, true to deliver
 * @param onAbandon for {@link Fault#HANG}: ends the wait without delivering
 */
public record ScriptedFault(
    Fault fault, Duration pause, String reason, Holder hold, Runnable onAbandon) {
  public static final ScriptedFault NONE = of(Fault.NONE);

  /** The waiting part of a hang. */
  @FunctionalInterface
  public interface Holder {
    boolean hold() throws InterruptedException;
  }

  public static ScriptedFault of(Fault fault) {
    return new ScriptedFault(fault, Duration.ZERO, null, null, null);
  }

  public static ScriptedFault delay(Duration pause) {
    return new ScriptedFault(Fault.DELAY, pause, null, null, null);
  }

  public static ScriptedFault refuse(String reason) {
    return new ScriptedFault(Fault.REFUSE, Duration.ZERO, reason, null, null);
  }

  public static ScriptedFault hang(Holder hold, Runnable abandon) {
    return new ScriptedFault(Fault.HANG, Duration.ZERO, null, hold, abandon);
  }

  public void abandon() {
    if (onAbandon != null) {
      onAbandon.run();
    }
  }
}
