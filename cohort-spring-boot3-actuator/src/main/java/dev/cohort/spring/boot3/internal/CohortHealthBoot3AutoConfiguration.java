package dev.cohort.spring.boot3.internal;

import dev.cohort.spring.CohortHealth;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Boot 3.5 Actuator: every {@link CohortHealth} bean as one component of the {@code cohort} health
 * contributor, under the same names as on Boot 4 ({@code /actuator/health/cohort/coordinator},
 * {@code .../replicas}). Boot 4 has no {@code org.springframework.boot.actuate.health} package, so
 * there this class stays off and the starter's own Boot 4 configuration serves the checks.
 */
@AutoConfiguration(
    afterName = {
      "dev.cohort.spring.internal.CohortAutoConfiguration",
      "dev.cohort.spring.internal.CohortEmbeddedAutoConfiguration",
      "dev.cohort.spring.internal.CohortReplicaAutoConfiguration"
    })
@ConditionalOnClass(HealthIndicator.class)
public class CohortHealthBoot3AutoConfiguration {
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
