package dev.cohort.spring.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.participant.Barrier;
import dev.cohort.participant.ParticipantEndpoint;
import dev.cohort.protocol.CallSignature;
import dev.cohort.spring.CohortEndpoint;
import dev.cohort.spring.CohortProperties;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Serves every {@link CohortEndpoint} bean over Spring MVC at {@code cohort.participant.path}, with
 * the barrier in the service's own {@code DataSource} and each call in one transaction of the
 * service's {@code PlatformTransactionManager}.
 */
@AutoConfiguration(
    after = CohortAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
      "org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration",
      "dev.cohort.spring.internal.CohortReplicaAutoConfiguration"
    })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(
    name = {
      "org.springframework.web.servlet.function.RouterFunction",
      "org.springframework.jdbc.datasource.DataSourceUtils"
    })
@ConditionalOnBean(CohortEndpoint.class)
public class CohortParticipantAutoConfiguration {
  @Bean
  @ConditionalOnMissingBean
  public Barrier cohortBarrier(ObjectProvider<DataSource> dataSource, CohortProperties p) {
    DataSource ds =
        dataSource.getIfUnique(() -> {
          throw new IllegalStateException(
              "participant endpoints need the service's DataSource for the barrier table;"
                  + " configure spring.datasource.url (or one DataSource bean)");
        });
    Barrier barrier = Barrier.forDataSource(ds);
    if (p.getParticipant().isCreateBarrierTable()) {
      barrier.createSchema();
    } else {
      barrier.verifySchema();
    }
    return barrier;
  }

  @Bean
  public RouterFunction<ServerResponse> cohortParticipantRoutes(
      ObjectProvider<CohortEndpoint> endpoints,
      Barrier barrier,
      ObjectProvider<DataSource> dataSource,
      ObjectProvider<PlatformTransactionManager> transactions,
      ObjectProvider<ObjectMapper> json,
      ObjectProvider<ParticipantMetrics> metrics,
      CohortProperties properties) {
    CohortProperties.Participant p = properties.getParticipant();
    CallSignature verifier = Keys.of(p);
    if (verifier == null && !p.isUnsigned()) {
      throw new IllegalStateException(
          "participant endpoints check the coordinator's signature: set"
              + " cohort.participant.signing-keys.<key id>=<secret of 32+ bytes> (the coordinator's"
              + " keys), or cohort.participant.unsigned=true for local development only");
    }
    PlatformTransactionManager manager =
        transactions.getIfUnique(() -> {
          throw new IllegalStateException(
              "participant endpoints run each call in a Spring transaction; add"
                  + " spring-boot-starter-jdbc (or declare one PlatformTransactionManager)");
        });
    EndpointFactory factory =
        new EndpointFactory(
            barrier,
            verifier,
            new SpringBarrierRunner(dataSource.getObject(), manager, Barrier.DEFAULT_MAX_ATTEMPTS),
            json.getIfAvailable(ObjectMapper::new));
    Map<String, ParticipantEndpoint> byName = new LinkedHashMap<>();
    endpoints
        .orderedStream()
        .forEach(e -> {
          if (byName.put(e.name(), factory.create(e)) != null) {
            throw new IllegalStateException(
                "two participant endpoints are named '" + e.name() + "'; names must differ");
          }
        });
    return new ParticipantRoutes(byName, metrics.getIfAvailable(() -> ParticipantMetrics.NONE))
        .routes(p.getPath());
  }
}
