package dev.cohort.examples.shop.common;

import dev.cohort.examples.shop.fault.AdminController;
import dev.cohort.examples.shop.fault.Crash;
import dev.cohort.examples.shop.fault.Fault;
import dev.cohort.examples.shop.fault.FaultFilter;
import dev.cohort.examples.shop.fault.FaultSwitch;
import dev.cohort.participant.OutcomeSource;
import dev.cohort.protocol.CallSignature;
import dev.cohort.protocol.v1.Credential;
import dev.cohort.spring.HeldBranchesOf;
import dev.cohort.spring.TccEndpoint;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What every shop service has: the fault switch in front of its calls, the admin API, the
 * reservation table and the held-branch resolver over its TCC endpoint. Properties: docs/shop.md.
 */
@Configuration(proxyBeanMethods = false)
public class ShopCommon {
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

  /**
   * The reservations a TCC service holds, for the starter's resolver: one held past {@code
   * cohort.participant.resolver.hold-threshold} is looked up at the coordinator and settled through
   * the endpoint's own confirm or cancel (every shop service has one TCC endpoint). On where the
   * service knows the coordinator ({@code shop.coordinator.url}).
   */
  @Bean
  @ConditionalOnProperty("shop.coordinator.url")
  HeldBranchesOf shopHeldReservations(TccEndpoint<?> endpoint, Reservations reservations) {
    return new HeldBranchesOf(endpoint.name(), reservations);
  }

  /** The coordinator asked about held reservations, with the shop's reader token. */
  @Bean
  @ConditionalOnProperty("shop.coordinator.url")
  OutcomeSource shopOutcomes(Environment env) {
    String token = env.getProperty("shop.coordinator.token");
    return OutcomeSource.coordinator(
        URI.create(env.getRequiredProperty("shop.coordinator.url")),
        token == null ? Credential.none() : Credential.bearer(token),
        Duration.ofSeconds(5));
  }
}
