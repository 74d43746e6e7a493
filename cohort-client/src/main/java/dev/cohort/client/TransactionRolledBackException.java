package dev.cohort.client;

import dev.cohort.api.CohortException;
import dev.cohort.api.Outcome;

/**
 * Registering a TCC branch did not succeed: its try refused, failed or timed out, so the
 * coordinator rolled the whole transaction back (every branch registered so far is cancelled).
 * {@link #outcome()} has the status ({@code rolling_back} while cancels are still being delivered,
 * then {@code rolled_back}) and the reason. Begin a new transaction to try again.
 */
public class TransactionRolledBackException extends CohortException {
  private final transient Outcome outcome;

  public TransactionRolledBackException(Outcome outcome) {
    super(
        "transaction "
            + outcome.gid()
            + " was rolled back ("
            + outcome.status().code()
            + "): "
            + outcome.reason());
    this.outcome = outcome;
  }

  public Outcome outcome() {
    return outcome;
  }
}
