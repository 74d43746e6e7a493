package dev.cohort.messagemode;

import dev.cohort.api.BranchContext;

/**
 * A downstream service of a reliable message: called once the message is committed, retried until
 * it returns, so it must accept a repeated call (e.g. through an inbox or the barrier).
 */
@FunctionalInterface
public interface MessageReceiver {
  void receive(BranchContext context) throws Exception;
}
