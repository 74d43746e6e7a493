package dev.cohort.spring;

import java.util.Map;

/**
 * The starter's health checks, free of Spring types so they can be polled by hand; on Boot 4 with
 * Actuator each is also a health indicator ({@code cohortCoordinator}, {@code cohortStore}, {@code
 * cohortReplicas}).
 */
@FunctionalInterface
public interface CohortHealth {
  /** One check's result: up or not, with details for an operator. */
  record Report(boolean up, Map<String, Object> details) {
    public Report {
      details = Map.copyOf(details);
    }
  }

  Report check();
}
