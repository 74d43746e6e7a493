package dev.cohort.examples.shop.common;

import java.util.Map;

/** A service's totals for the invariants: what {@code GET /admin/state} reports. */
@FunctionalInterface
public interface ServiceState {
  Map<String, Object> totals();
}
