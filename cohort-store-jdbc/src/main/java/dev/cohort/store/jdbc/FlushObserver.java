package dev.cohort.store.jdbc;

import java.time.Duration;

/**
 * Hears every durable group commit of the log's writer: how many units it carried and how long it
 * took, commit included. Called on the writer thread, so it must be quick (a histogram update);
 * what it throws is logged and ignored.
 */
@FunctionalInterface
public interface FlushObserver {
  FlushObserver NONE = (units, took) -> {};

  void onFlush(int units, Duration took);
}
