package dev.cohort.chaos;

import java.util.List;

/**
 * Where the system records each effect its participants applied, written in the same local
 * transaction as the business change, with no unique key (so a duplicate shows up as two rows).
 * Read once, after quiescence.
 */
@FunctionalInterface
public interface EffectLedger {
  List<Effect> effects() throws Exception;
}
