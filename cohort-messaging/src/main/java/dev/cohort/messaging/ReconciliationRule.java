package dev.cohort.messaging;

import java.time.Instant;
import java.util.List;

/**
 * One kind of business compensation for the {@link Reconciler}: how to find entities stuck in an
 * intermediate state, and what to do about each after checking the related systems.
 */
public interface ReconciliationRule<E> {
  /** The rule's name in the journal and alerts, e.g. "order-processing". */
  String name();

  /** Entities in an intermediate state since before {@code stuckSince} (oldest first). */
  List<E> findStuck(Instant stuckSince) throws Exception;

  /** The entity's id in the journal, e.g. the order id. */
  String idOf(E entity);

  /** Checks the related systems and decides; must not change anything itself. */
  Repair decide(E entity) throws Exception;
}
