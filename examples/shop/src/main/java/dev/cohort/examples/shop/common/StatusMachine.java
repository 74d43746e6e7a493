package dev.cohort.examples.shop.common;

import java.util.Set;

/**
 * A status of the shop (order, outbound note, reservation): each value names the statuses it may
 * move to, and {@link StatusColumn} is the one place that changes a stored one.
 */
public interface StatusMachine<S extends Enum<S> & StatusMachine<S>> {
  /** The statuses this one may move to. */
  Set<S> next();

  /** The statuses a row may be created in. */
  default boolean initial() {
    return false;
  }
}
