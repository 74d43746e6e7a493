package dev.cohort.spring.internal;

import java.util.function.BiConsumer;

/**
 * A header an outgoing HTTP call carries from the calling thread: the gid of the open global
 * transaction, the session's consistency token. Read when the request is sent, on that thread.
 */
@FunctionalInterface
interface OutgoingHeaders {
  void addTo(BiConsumer<String, String> header);
}
