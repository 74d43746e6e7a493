package dev.cohort.spring.internal;

import dev.cohort.replica.Consistency;
import dev.cohort.replica.ConsistencyToken;
import java.util.function.BiConsumer;

/**
 * Sends the session's read-your-writes token downstream, so a service reading what this one wrote
 * waits for (or skips) replicas that have not applied it.
 */
final class TokenHeaders implements OutgoingHeaders {
  @Override
  public void addTo(BiConsumer<String, String> header) {
    ConsistencyToken token = Consistency.token();
    if (!token.isEmpty()) {
      header.accept(ConsistencyToken.HEADER, token.format());
    }
  }
}
