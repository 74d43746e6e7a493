package dev.cohort.server.console.internal;

import dev.cohort.api.CohortException;
import dev.cohort.api.Gid;
import dev.cohort.api.Outcome;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.spi.AuditRecord;
import dev.cohort.coordinator.spi.StoreException;
import dev.cohort.coordinator.spi.TransactionStore;
import java.time.Clock;
import java.util.Locale;

/**
 * The operator's actions, each through the engine's own operation (so its status transitions are
 * the engine's, compare-and-set in the log) and each followed by an audit record of who asked and
 * what came of it — also when the engine refused.
 */
final class Operations {
  /** The actions the console offers; the engine checks each against the transaction's status. */
  enum Action {
    RETRY("retry", "Retry now", "Deliver the pending phase now; a failed one gets a fresh window."),
    RESOLVE(
        "resolve",
        "Mark resolved",
        "Close a failed transaction that was settled by hand; the reason is kept."),
    ABORT("abort", "Abort", "Roll back an open transaction: cancel the tries that ran.");

    final String code;
    final String label;
    final String explanation;

    Action(String code, String label, String explanation) {
      this.code = code;
      this.label = label;
      this.explanation = explanation;
    }

    static Action fromCode(String code) {
      for (Action a : values()) {
        if (a.code.equals(code)) {
          return a;
        }
      }
      return null;
    }
  }

  /** Longest reason kept with a resolve. */
  static final int MAX_REASON = 2_000;

  /** What the operator sees after the action. */
  record Result(boolean done, String message) {}

  private final Coordinator coordinator;
  private final TransactionStore store;
  private final Clock clock;

  Operations(Coordinator coordinator, TransactionStore store, Clock clock) {
    this.coordinator = coordinator;
    this.store = store;
    this.clock = clock;
  }

  /**
   * Runs {@code action}; {@code reason} is required for a resolve. Refusals (wrong status, unknown
   * gid, missing reason) are results, not exceptions, and are audited like successes.
   */
  Result run(Action action, Gid gid, String reason, String actor) {
    String detail = action == Action.RESOLVE ? reason.strip() : null;
    if (action == Action.RESOLVE && (detail == null || detail.isEmpty())) {
      return new Result(false, "A reason is required: say how the transaction was settled.");
    }
    if (detail != null && detail.length() > MAX_REASON) {
      return new Result(
          false, "The reason has " + detail.length() + " characters; keep it under " + MAX_REASON);
    }
    Result result;
    String audited;
    try {
      Outcome outcome =
          switch (action) {
            case RETRY -> coordinator.retryNow(gid);
            case RESOLVE -> coordinator.markResolved(gid, detail);
            case ABORT -> coordinator.abort(gid);
          };
      audited = outcome.status().code();
      result =
          new Result(
              true,
              action.label
                  + ": the transaction is now "
                  + outcome.status().code().replace('_', ' ')
                  + ".");
    } catch (StoreException e) {
      throw e; // the log is down: nothing happened, and there is nowhere to audit it
    } catch (CohortException e) {
      audited = "refused: " + e.getMessage();
      result = new Result(false, action.label + " was refused: " + e.getMessage());
    }
    store.appendAudit(
        new AuditRecord(
            clock.instant(), actor, action.code.toLowerCase(Locale.ROOT), gid, detail, audited));
    return result;
  }
}
