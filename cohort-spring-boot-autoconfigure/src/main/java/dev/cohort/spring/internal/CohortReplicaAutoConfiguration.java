package dev.cohort.spring.internal;

import dev.cohort.replica.ReplicaOptions;
import dev.cohort.replica.ReplicaStatus;
import dev.cohort.replica.RoutingDataSource;
import dev.cohort.spring.CohortHealth;
import dev.cohort.spring.CohortProperties;
import dev.cohort.spring.ReadPrimary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Read-write splitting (cohort-replica on the classpath): {@code @ReadPrimary}, the {@code
 * Cohort-Consistency} header in and out, and, when {@code cohort.replica.urls} is set, the
 * application's {@code DataSource} as a {@link RoutingDataSource} over {@code
 * spring.datasource.url} and those replicas (same credentials).
 */
@AutoConfiguration(
    after = CohortAutoConfiguration.class,
    beforeName = {
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"
    })
@ConditionalOnClass(name = "dev.cohort.replica.RoutingDataSource")
public class CohortReplicaAutoConfiguration {
  /** Outside the global transaction and {@code @Transactional}. */
  static final int READ_PRIMARY_ORDER = Ordered.HIGHEST_PRECEDENCE + 50;

  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  public static Advisor cohortReadPrimaryAdvisor() {
    DefaultPointcutAdvisor advisor =
        new DefaultPointcutAdvisor(
            CohortAutoConfiguration.annotated(ReadPrimary.class), new ReadPrimaryInterceptor());
    advisor.setOrder(READ_PRIMARY_ORDER);
    return advisor;
  }

  @Bean
  TokenHeaders cohortTokenHeaders() {
    return new TokenHeaders();
  }

  /** Servlet applications: a consistency session per request, from the incoming header. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  static class Servlet {
    @Bean
    ConsistencyFilter cohortConsistencyFilter() {
      return new ConsistencyFilter();
    }
  }

  /** The routing {@code DataSource}, when replica URLs are configured. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "com.zaxxer.hikari.HikariDataSource")
  @Conditional(OnReplicaUrls.class)
  static class Routing {
    @Bean
    ReplicaPools cohortReplicaPools() {
      return new ReplicaPools();
    }

    @Bean
    @ConditionalOnMissingBean(javax.sql.DataSource.class)
    RoutingDataSource dataSource(
        ReplicaPools pools,
        Environment environment,
        CohortProperties properties,
        ObjectProvider<MeterRegistry> registry) {
      Binder binder = Binder.get(environment);
      String url = binder.bind("spring.datasource.url", String.class).orElse(null);
      if (url == null) {
        throw new IllegalStateException(
            "cohort.replica.urls is set but spring.datasource.url is not; set it to the primary");
      }
      String user = binder.bind("spring.datasource.username", String.class).orElse(null);
      String password = binder.bind("spring.datasource.password", String.class).orElse(null);
      RoutingDataSource.Builder b =
          RoutingDataSource.builder()
              .primary("primary", pools.open("cohort-primary", url, user, password, false));
      List<String> urls = OnReplicaUrls.urls(binder);
      for (int i = 0; i < urls.size(); i++) {
        String name = "replica-" + (i + 1);
        b.replica(name, pools.open("cohort-" + name, urls.get(i), user, password, true));
      }
      return b.options(options(properties.getReplica(), registry.getIfAvailable())).build();
    }

    static ReplicaOptions options(CohortProperties.Replica r, MeterRegistry registry) {
      ReplicaOptions.Builder o = ReplicaOptions.builder();
      if (r.getSourceId() != null) {
        o.sourceId(r.getSourceId());
      }
      if (r.getMaxWait() != null) {
        o.maxWait(r.getMaxWait());
      }
      if (r.getMaxLag() != null) {
        o.maxLag(r.getMaxLag());
      }
      if (r.getPollInterval() != null) {
        o.pollInterval(r.getPollInterval());
      }
      if (registry != null) {
        o.meterRegistry(registry);
      }
      return o.build();
    }

    @Bean
    CohortHealth cohortReplicasHealth(RoutingDataSource routing) {
      return () -> {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean primaryUp = false;
        for (ReplicaStatus s : routing.status()) {
          details.put(s.name(), s.health().name().toLowerCase(java.util.Locale.ROOT));
          if (s.name().equals(routing.primaryName())) {
            primaryUp = s.up();
          }
        }
        details.put("primary", routing.primaryName());
        return new CohortHealth.Report(primaryUp, details);
      };
    }
  }
}
