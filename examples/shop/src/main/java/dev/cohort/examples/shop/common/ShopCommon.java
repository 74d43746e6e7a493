package dev.cohort.examples.shop.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.examples.shop.fault.AdminController;
import dev.cohort.examples.shop.fault.Crash;
import dev.cohort.examples.shop.fault.Fault;
import dev.cohort.examples.shop.fault.FaultFilter;
import dev.cohort.examples.shop.fault.FaultSwitch;
import dev.cohort.participant.Barrier;
import dev.cohort.participant.HeldBranchResolver;
import dev.cohort.participant.OutcomeSource;
import dev.cohort.protocol.CallSignature;
import dev.cohort.protocol.v1.Credential;
import dev.cohort.spring.TccEndpoint;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * What every shop service has: the fault switch in front of its calls, the admin API, the
 * reservation table and the held-branch resolver over its TCC endpoint. Properties: docs/shop.md.
 */
@Configuration(proxyBeanMethods = false)
public class ShopCommon {
  /** A reservation held this long is looked up at the coordinator, unless configured. */
  public static final Duration DEFAULT_HOLD_THRESHOLD = Duration.ofSeconds(20);

  public static final Duration DEFAULT_RESOLVER_PERIOD = Duration.ofSeconds(2);

  @Bean
  TransitionLog shopTransitions() {
    return new TransitionLog();
  }

  @Bean
  Clock shopClock() {
    return Clock.systemUTC();
  }

  @Bean
  FaultSwitch shopFaults(Environment env) {
    FaultSwitch faults = new FaultSwitch();
    for (String spec : env.getProperty("shop.faults", "").split(",", -1)) {
      if (!spec.isBlank()) {
        faults.arm(Fault.parse(spec));
      }
    }
    return faults;
  }

  @Bean
  FilterRegistrationBean<FaultFilter> shopFaultFilter(
      FaultSwitch faults, Environment env, ConfigurableApplicationContext context) {
    String key = env.getProperty("shop.signing-key");
    CallSignature signer =
        key == null
            ? null
            : new CallSignature(
                Map.of("shop", key.getBytes(StandardCharsets.UTF_8)),
                "shop",
                CallSignature.DEFAULT_MAX_SKEW,
                Clock.systemUTC());
    Crash crash =
        "stop".equals(env.getProperty("shop.crash", "halt"))
            ? () -> Thread.ofPlatform().name("shop-crash").start(context::close)
            : Crash.HALT;
    FaultFilter filter =
        new FaultFilter(
            faults,
            env.getProperty("cohort.participant.path", "/cohort/participants"),
            signer,
            crash);
    FilterRegistrationBean<FaultFilter> registration = new FilterRegistrationBean<>(filter);
    // Before the starter's filters: a fault is what the network or the process does.
    registration.setOrder(Integer.MIN_VALUE);
    return registration;
  }

  @Bean
  AdminController shopAdmin(
      Environment env,
      FaultSwitch faults,
      ServiceState state,
      TransitionLog transitions,
      Effects effects) {
    return new AdminController(
        env.getProperty("shop.service", "shop"), faults, state, transitions, effects);
  }

  @Bean
  Effects shopEffects(JdbcTemplate jdbc) {
    jdbc.execute(Effects.DDL);
    return new Effects(jdbc);
  }

  @Bean
  PlainErrors shopPlainErrors() {
    return new PlainErrors();
  }

  @Bean
  Reservations shopReservations(JdbcTemplate jdbc, Clock clock, TransitionLog log) {
    jdbc.execute(Reservations.DDL);
    return new Reservations(jdbc, clock, log);
  }

  @Bean(destroyMethod = "shutdownNow")
  ScheduledExecutorService shopScheduler() {
    return Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("shop-resolver").daemon().factory());
  }

  /**
   * Asks the coordinator about reservations held past {@code shop.resolver.hold-threshold} and
   * settles them through the barrier; on only where the service has a TCC endpoint and knows the
   * coordinator ({@code shop.coordinator.url}).
   */
  @Bean
  SmartLifecycle shopResolver(
      Environment env,
      ObjectProvider<TccEndpoint<?>> endpoint,
      Reservations reservations,
      Barrier barrier,
      DataSource dataSource,
      PlatformTransactionManager transactions,
      Clock clock,
      ScheduledExecutorService scheduler) {
    String url = env.getProperty("shop.coordinator.url");
    TccEndpoint<?> tcc = endpoint.getIfUnique();
    if (url == null || tcc == null) {
      return new Lifecycle(null, null);
    }
    String token = env.getProperty("shop.coordinator.token");
    HeldBranchResolver resolver =
        HeldBranchResolver.builder(
                reservations,
                OutcomeSource.coordinator(
                    URI.create(url), Credential.bearer(token), Duration.ofSeconds(5)),
                new EndpointSettler<>(tcc, barrier, dataSource, transactions, new ObjectMapper()))
            .clock(clock)
            .holdThreshold(
                env.getProperty(
                    "shop.resolver.hold-threshold", Duration.class, DEFAULT_HOLD_THRESHOLD))
            .build();
    return new Lifecycle(
        () ->
            resolver.start(
                scheduler,
                env.getProperty("shop.resolver.period", Duration.class, DEFAULT_RESOLVER_PERIOD)),
        scheduler);
  }

  /** Starts the resolver with the web server and stops it first. */
  private static final class Lifecycle implements SmartLifecycle {
    private final Supplier<ScheduledFuture<?>> start;
    private final ScheduledExecutorService scheduler;
    private volatile ScheduledFuture<?> rounds;
    private volatile boolean running;

    Lifecycle(Supplier<ScheduledFuture<?>> start, ScheduledExecutorService scheduler) {
      this.start = start;
      this.scheduler = scheduler;
    }

    @Override
    public void start() {
      if (start != null) {
        rounds = start.get();
      }
      running = true;
    }

    @Override
    public void stop() {
      if (rounds != null) {
        rounds.cancel(true);
      }
      if (scheduler != null) {
        scheduler.shutdownNow();
      }
      running = false;
    }

    @Override
    public boolean isRunning() {
      return running;
    }
  }
}
