package dev.cohort.spring.internal;

import dev.cohort.spring.CohortHealth;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Boot 4 Actuator: every {@link CohortHealth} bean as one component of the {@code cohort} health
 * contributor ({@code /actuator/health/cohort/coordinator}, {@code .../replicas}).
 */
@AutoConfiguration(
    after = {
      CohortAutoConfiguration.class,
      CohortEmbeddedAutoConfiguration.class,
      CohortReplicaAutoConfiguration.class
    })
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
public class CohortHealthAutoConfiguration {
  @Bean
  public HealthContributor cohortHealthContributor(ObjectProvider<Map<String, CohortHealth>> all) {
    Map<String, HealthContributor> components = new LinkedHashMap<>();
    all.getIfAvailable(Map::of)
        .forEach(
            (bean, check) -> components.put(CohortHealth.componentName(bean), indicator(check)));
    if (components.isEmpty()) {
      components.put("sdk", (HealthIndicator) () -> Health.up().build());
    }
    return CompositeHealthContributor.fromMap(components);
  }

  private static HealthIndicator indicator(CohortHealth check) {
    return () -> {
      CohortHealth.Report r = check.check();
      return (r.up() ? Health.up() : Health.down()).withDetails(r.details()).build();
    };
  }
}
