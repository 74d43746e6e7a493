package dev.cohort.spring.internal;

import dev.cohort.client.Cohort;
import dev.cohort.participant.OutcomeSource;
import dev.cohort.protocol.CallSignature;
import dev.cohort.protocol.v1.Credential;
import dev.cohort.spring.CohortHealth;
import dev.cohort.spring.CohortProperties;
import dev.cohort.spring.GlobalTransaction;
import dev.cohort.spring.GlobalTransactions;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;

/**
 * The core of the starter: {@code cohort.*} properties, the SDK over a coordinator server when
 * {@code cohort.server.url} is set, {@code @GlobalTransaction}, and gid propagation.
 */
@AutoConfiguration
@EnableConfigurationProperties
public class CohortAutoConfiguration {
  /** Outside {@code @Transactional} (lowest precedence), inside nothing else of ours. */
  static final int GLOBAL_TRANSACTION_ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

  @Bean
  @ConfigurationProperties(prefix = "cohort")
  @ConditionalOnMissingBean
  public CohortProperties cohortProperties() {
    return new CohortProperties();
  }

  @Bean
  @ConditionalOnMissingBean
  public GlobalTransactions cohortGlobalTransactions() {
    return new GlobalTransactions();
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(Cohort.class)
  @ConditionalOnProperty(prefix = "cohort.server", name = "url")
  public Cohort cohort(CohortProperties properties) {
    CohortProperties.Server s = properties.getServer();
    Cohort.ConnectBuilder b =
        Cohort.connectTo(s.getUrl())
            .connectTimeout(s.getConnectTimeout())
            .requestTimeout(s.getRequestTimeout());
    if (s.getToken() != null && !s.getToken().isBlank()) {
      b.token(s.getToken());
    }
    return b.build();
  }

  /**
   * How held branches learn their outcome from the server: signed with this participant's own key
   * when it has one (the server then answers only for its own gids), else with the token.
   */
  @Bean
  @ConditionalOnMissingBean(OutcomeSource.class)
  @ConditionalOnProperty(prefix = "cohort.server", name = "url")
  public OutcomeSource cohortOutcomeSource(CohortProperties properties) {
    CohortProperties.Server s = properties.getServer();
    CallSignature own = Keys.of(properties.getParticipant());
    Credential credential;
    if (own != null) {
      credential = Credential.signed(own);
    } else if (s.getToken() != null && !s.getToken().isBlank()) {
      credential = Credential.bearer(s.getToken());
    } else {
      credential = Credential.none();
    }
    return OutcomeSource.coordinator(s.getUrl(), credential, s.getRequestTimeout());
  }

  @Bean
  @ConditionalOnProperty(prefix = "cohort.server", name = "url")
  public CohortHealth cohortCoordinatorHealth(CohortProperties properties) {
    return new ServerHealth(
        properties.getServer().getUrl(), properties.getServer().getConnectTimeout());
  }

  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  public static Advisor cohortGlobalTransactionAdvisor(
      ObjectProvider<Cohort> cohort,
      ObjectProvider<GlobalTransactions> transactions,
      ObjectProvider<TransactionMetrics> metrics) {
    DefaultPointcutAdvisor advisor =
        new DefaultPointcutAdvisor(
            annotated(GlobalTransaction.class),
            new LazyGlobalTransactionInterceptor(cohort, transactions, metrics));
    advisor.setOrder(GLOBAL_TRANSACTION_ORDER);
    return advisor;
  }

  static ComposablePointcut annotated(Class<? extends java.lang.annotation.Annotation> type) {
    return new ComposablePointcut(new AnnotationMatchingPointcut(type, true))
        .union(AnnotationMatchingPointcut.forMethodAnnotation(type));
  }

  @Bean
  @ConditionalOnMissingBean(GidHeaders.class)
  GidHeaders cohortGidHeaders(GlobalTransactions transactions) {
    return new GidHeaders(transactions);
  }

  /** Servlet applications: accept the gid of incoming requests. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  static class Servlet {
    @Bean
    GidFilter cohortGidFilter(GlobalTransactions transactions) {
      return new GidFilter(transactions);
    }
  }

  /** {@code RestTemplate} and {@code RestClient} (spring-web). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.client.RestClient")
  static class RestClients {
    @Bean
    PropagatingInterceptor cohortPropagatingInterceptor(ObjectProvider<OutgoingHeaders> sources) {
      return new PropagatingInterceptor(sources.orderedStream().toList());
    }

    @Bean
    static RestClientsPostProcessor cohortRestClientsPostProcessor(
        ObjectProvider<PropagatingInterceptor> interceptor) {
      return new RestClientsPostProcessor(interceptor);
    }
  }

  /** {@code WebClient} (spring-webflux), when present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.reactive.function.client.WebClient")
  static class WebClients {
    @Bean
    static WebClientsPostProcessor cohortWebClientsPostProcessor(
        ObjectProvider<OutgoingHeaders> sources) {
      return new WebClientsPostProcessor(sources);
    }
  }

  /** Meters of participant calls and annotated global transactions. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean(MicrometerMetrics.class)
    MicrometerMetrics cohortMetrics(ObjectProvider<MeterRegistry> registry) {
      return new MicrometerMetrics(registry);
    }
  }
}
