package dev.cohort.spring.internal;

import dev.cohort.protocol.CallSignature;
import dev.cohort.spring.GlobalTransactions;
import java.util.function.BiConsumer;

/** Sends the gid of the thread's global transaction (or the one it received) downstream. */
final class GidHeaders implements OutgoingHeaders {
  private final GlobalTransactions transactions;

  GidHeaders(GlobalTransactions transactions) {
    this.transactions = transactions;
  }

  @Override
  public void addTo(BiConsumer<String, String> header) {
    transactions.gid().ifPresent(gid -> header.accept(CallSignature.GID_HEADER, gid.value()));
  }
}
