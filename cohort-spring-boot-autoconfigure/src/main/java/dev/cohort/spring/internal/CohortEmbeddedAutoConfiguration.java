package dev.cohort.spring.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.client.Cohort;
import dev.cohort.coordinator.AlertWebhook;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.CoordinatorListener;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.TransactionStore;
import dev.cohort.embedded.EmbeddedCohort;
import dev.cohort.jdbc.Database;
import dev.cohort.participant.OutcomeSource;
import dev.cohort.protocol.CallSignature;
import dev.cohort.protocol.v1.ParticipantOutcome;
import dev.cohort.spring.CohortHealth;
import dev.cohort.spring.CohortProperties;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The coordinator in this JVM (cohort-embedded and cohort-store-jdbc on the classpath, no {@code
 * cohort.server.url}): a log at {@code cohort.embedded.store-url} (SQLite file by default), HTTP
 * participants signed with {@code cohort.participant.signing-keys}, every {@link
 * CoordinatorListener} bean as a listener (the alert webhook, the meters).
 */
@AutoConfiguration(after = CohortAutoConfiguration.class)
@ConditionalOnClass(
    name = {"dev.cohort.embedded.EmbeddedCohort", "dev.cohort.store.jdbc.JdbcTransactionStore"})
@ConditionalOnMissingBean(Cohort.class)
@ConditionalOnProperty(prefix = "cohort.embedded", name = "enabled", matchIfMissing = true)
public class CohortEmbeddedAutoConfiguration {
  @Bean
  @ConditionalOnMissingBean
  public TransactionStore cohortTransactionStore(CohortProperties properties) {
    CohortProperties.Embedded e = properties.getEmbedded();
    String url = e.getStoreUrl();
    if (url.startsWith("jdbc:sqlite:")) {
      return JdbcTransactionStore.sqlite(Path.of(url.substring("jdbc:sqlite:".length())));
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(e.getStoreUsername());
    config.setPassword(e.getStorePassword());
    config.setPoolName("cohort-log");
    HikariDataSource pool = new HikariDataSource(config);
    return JdbcTransactionStore.builder(pool, Database.fromUrl(url)).closePoolOnClose(pool).build();
  }

  @Bean
  @ConditionalOnMissingBean
  public HttpParticipant cohortHttpParticipant(CohortProperties properties) {
    HttpParticipant.Builder b = HttpParticipant.builder();
    CallSignature keys = Keys.of(properties.getParticipant());
    if (keys != null) {
      b.signer(keys);
    } else if (properties.getParticipant().isUnsigned()) {
      b.unsigned();
    } else {
      throw new IllegalStateException(
          "the embedded coordinator signs its calls to participants: set"
              + " cohort.participant.signing-keys.<key id>=<secret of 32+ bytes> (the same in every"
              + " participant service), or cohort.participant.unsigned=true for local development");
    }
    if (properties.getEmbedded().getCallTimeout() != null) {
      b.callTimeout(properties.getEmbedded().getCallTimeout());
    }
    return b.build();
  }

  @Bean
  @ConditionalOnMissingBean
  public Coordinator cohortCoordinator(
      TransactionStore store,
      CohortProperties properties,
      ObjectProvider<CoordinatorListener> listeners) {
    return Coordinator.builder(store)
        .options(options(properties.getEmbedded()))
        .listener(CoordinatorListener.all(listeners.orderedStream().toList()))
        .build();
  }

  static CoordinatorOptions options(CohortProperties.Embedded e) {
    CoordinatorOptions.Builder b = CoordinatorOptions.newBuilder();
    if (e.getNodeId() != null) {
      b.nodeId(e.getNodeId());
    }
    if (e.getTransactionTimeout() != null) {
      b.defaultTimeout(e.getTransactionTimeout());
    }
    if (e.getInitialBackoff() != null) {
      b.initialBackoff(e.getInitialBackoff());
    }
    if (e.getMaxBackoff() != null) {
      b.maxBackoff(e.getMaxBackoff());
    }
    if (e.getRetryWindow() != null) {
      b.retryWindow(e.getRetryWindow());
    }
    return b.build();
  }

  /** Registers the HTTP participant and starts the coordinator (recovery runs here). */
  @Bean
  public Cohort cohort(Coordinator coordinator, HttpParticipant http) {
    return EmbeddedCohort.start(coordinator, http);
  }

  @Bean
  @ConditionalOnProperty(prefix = "cohort.alert", name = "webhook-url")
  public AlertWebhook cohortAlertWebhook(CohortProperties properties) {
    CohortProperties.Alert a = properties.getAlert();
    return new AlertWebhook(a.getWebhookUrl(), a.getAttempts(), a.getTimeout(), a.getBackoff());
  }

  /** Held branches ask the embedded coordinator directly. */
  @Bean
  @ConditionalOnMissingBean(OutcomeSource.class)
  public OutcomeSource cohortOutcomeSource(Coordinator coordinator) {
    return gid -> {
      // Presumed abort: a gid the log does not know is recorded rolled back, so a held try whose
      // presumed-abort transaction never reached the log is released.
      GlobalRecord g = coordinator.outcomeForParticipant(Gid.of(gid)).global();
      return ParticipantOutcome.of(g.gid(), g.status(), g.resumeStatus());
    };
  }

  @Bean
  public CohortHealth cohortCoordinatorHealth(Coordinator coordinator, CohortProperties p) {
    return () -> {
      try {
        int failed = coordinator.findByStatus(GlobalStatus.FAILED, 100).size();
        return new CohortHealth.Report(
            true,
            Map.of(
                "mode",
                "embedded",
                "store",
                p.getEmbedded().getStoreUrl(),
                "failedTransactions",
                failed >= 100 ? "100+" : Integer.toString(failed)));
      } catch (RuntimeException e) {
        return new CohortHealth.Report(
            false, Map.of("mode", "embedded", "store", "unreachable", "error", e.toString()));
      }
    };
  }

  /** Meters of the engine, when Micrometer is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
  static class Metrics {
    @Bean
    CoordinatorMetrics cohortCoordinatorMetrics(ObjectProvider<MeterRegistry> registry) {
      return new CoordinatorMetrics(registry);
    }
  }
}
