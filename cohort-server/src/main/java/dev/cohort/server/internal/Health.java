package dev.cohort.server.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.api.Gid;
import dev.cohort.api.UnknownTransactionException;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.RecoveryProgress;
import dev.cohort.coordinator.spi.StoreException;

/**
 * {@code GET /health}: reads the log once and reports whether (and how fast) it answered, and how
 * far the background recovery of the last start is ({@code recovering} until it is done).
 */
public final class Health {
  /** Looked up by primary key; a miss is the cheapest read that still proves the log answers. */
  private static final Gid PROBE = Gid.of("cohort.health-probe");

  private final Coordinator coordinator;

  public Health(Coordinator coordinator) {
    this.coordinator = coordinator;
  }

  public Api.Reply check() {
    long started = System.nanoTime();
    ObjectNode node = Body.JSON.createObjectNode();
    ObjectNode store = Body.JSON.createObjectNode();
    try {
      try {
        coordinator.find(PROBE);
      } catch (UnknownTransactionException expected) {
        // the usual answer: the log was read and has no such transaction
      }
      store.put("status", "up");
      store.put("latencyMs", Math.round((System.nanoTime() - started) / 10_000.0) / 100.0);
      // Recovering is still 200: the node takes new transactions while it resumes old ones.
      RecoveryProgress recovery = coordinator.recovery();
      node.put("status", recovery.recovering() ? "recovering" : "up");
      node.set("store", store);
      ObjectNode progress = Body.JSON.createObjectNode();
      progress.put("recovering", recovery.recovering());
      progress.put("resumed", recovery.resumed());
      progress.put("settled", recovery.settled());
      progress.put("inFlight", recovery.inFlight());
      node.set("recovery", progress);
      return new Api.Reply(200, node);
    } catch (StoreException | IllegalStateException e) {
      store.put("status", "down");
      store.put(
          "error",
          e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"));
      node.put("status", "down");
      node.put("error", "unavailable");
      node.put("message", "the transaction log cannot be read: " + e.getMessage());
      node.set("store", store);
      return new Api.Reply(503, node);
    }
  }
}
