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

  /**
   * The component a check shows as under {@code /actuator/health/cohort/}: its bean name without
   * the {@code cohort} prefix and {@code Health} suffix ({@code cohortReplicasHealth} → {@code
   * replicas}); other names stay as they are.
   */
  static String componentName(String beanName) {
    final String prefix = "cohort";
    final String suffix = "Health";
    String n = beanName;
    if (n.startsWith(prefix) && n.length() > prefix.length()) {
      n = Character.toLowerCase(n.charAt(prefix.length())) + n.substring(prefix.length() + 1);
    }
    if (n.endsWith(suffix) && n.length() > suffix.length()) {
      n = n.substring(0, n.length() - suffix.length());
    }
    return n;
  }
}
