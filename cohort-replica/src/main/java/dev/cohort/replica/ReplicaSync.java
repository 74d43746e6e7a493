package dev.cohort.replica;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Waits, off the caller's thread, until replicas have applied a token: the "confirm before you
 * notify" step (send the e-mail once every replica would show the order). The future always
 * completes normally; check {@link SyncResult#satisfied()}.
 */
public interface ReplicaSync {
  /** Whether one replica is enough or every replica must have applied the token. */
  enum Mode {
    ALL,
    ANY
  }

  CompletableFuture<SyncResult> await(ConsistencyToken token, Duration timeout, Mode mode);

  default CompletableFuture<SyncResult> await(ConsistencyToken token, Duration timeout) {
    return await(token, timeout, Mode.ALL);
  }
}
