package dev.cohort.spring.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.participant.Barrier;
import dev.cohort.participant.HeldBranchResolver;
import dev.cohort.participant.OutcomeSource;
import dev.cohort.participant.ParticipantEndpoint;
import dev.cohort.protocol.CallSignature;
import dev.cohort.spring.CohortEndpoint;
import dev.cohort.spring.CohortProperties;
import dev.cohort.spring.HeldBranchesOf;
import dev.cohort.spring.TccEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
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
  EndpointFactory cohortEndpointFactory(
      Barrier barrier,
      ObjectProvider<DataSource> dataSource,
      ObjectProvider<PlatformTransactionManager> transactions,
      ObjectProvider<ObjectMapper> json,
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
    return new EndpointFactory(
        barrier,
        verifier,
        new SpringBarrierRunner(dataSource.getObject(), manager, Barrier.DEFAULT_MAX_ATTEMPTS),
        json.getIfAvailable(ObjectMapper::new));
  }

  @Bean
  public RouterFunction<ServerResponse> cohortParticipantRoutes(
      ObjectProvider<CohortEndpoint> endpoints,
      EndpointFactory factory,
      ObjectProvider<ParticipantMetrics> metrics,
      CohortProperties properties) {
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
        .routes(properties.getParticipant().getPath());
  }

  /**
   * One resolver per {@link HeldBranchesOf} bean, settling through its {@link TccEndpoint} what the
   * coordinator ({@link OutcomeSource}: the server's outcome query, or the embedded coordinator)
   * says was decided.
   */
  @Bean
  @ConditionalOnBean(HeldBranchesOf.class)
  HeldBranchResolvers cohortHeldBranchResolvers(
      ObjectProvider<HeldBranchesOf> held,
      ObjectProvider<CohortEndpoint> endpoints,
      EndpointFactory factory,
      ObjectProvider<OutcomeSource> outcomes,
      CohortProperties properties) {
    CohortProperties.Resolver settings = properties.getParticipant().getResolver();
    if (settings.getPeriod() == null || !settings.getPeriod().isPositive()) {
      throw new IllegalStateException(
          "cohort.participant.resolver.period must be positive, e.g. 10s; got "
              + settings.getPeriod());
    }
    OutcomeSource source =
        outcomes.getIfUnique(() -> {
          throw new IllegalStateException(
              "HeldBranchesOf beans need a coordinator to ask how their transactions ended: set"
                  + " cohort.server.url, or run the embedded coordinator");
        });
    Map<String, TccEndpoint<?>> tcc = new LinkedHashMap<>();
    endpoints
        .orderedStream()
        .forEach(e -> {
          if (e instanceof TccEndpoint<?> t) {
            tcc.put(t.name(), t);
          }
        });
    List<HeldBranchResolver> resolvers = new ArrayList<>();
    held.orderedStream()
        .forEach(h -> {
          TccEndpoint<?> endpoint = tcc.get(h.endpoint());
          if (endpoint == null) {
            throw new IllegalStateException(
                "HeldBranchesOf names endpoint '"
                    + h.endpoint()
                    + "', but the TCC endpoints of this service are "
                    + tcc.keySet()
                    + "; name one of them");
          }
          resolvers.add(
              HeldBranchResolver.builder(h.held(), source, factory.settler(endpoint))
                  .holdThreshold(settings.getHoldThreshold())
                  .batch(settings.getBatch())
                  .build());
        });
    return new HeldBranchResolvers(
        resolvers,
        settings,
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("cohort-held-branch-resolver").daemon().factory()));
  }
}
