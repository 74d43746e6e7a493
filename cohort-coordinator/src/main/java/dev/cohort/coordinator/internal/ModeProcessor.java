package dev.cohort.coordinator.internal;

import dev.cohort.api.Mode;

/**
 * Drives the transactions of one mode. The engine knows nothing mode-specific: it hands every
 * transaction it finds in the log (after a crash, or when a retry is due) to the processor of its
 * mode. A new mode (2PC/XA, 3PC) is a new processor, not a change to the others.
 */
interface ModeProcessor {
  Mode mode();

  /** Carries a transaction loaded from the log as far as it can go now. */
  void resume(Tx tx);
}
