package dev.cohort.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The rules of docs/architecture.md, checked on the main classes of every module. The enforcer's
 * {@code never-the-engine} rule checks the same boundary on the dependency graph; this test checks
 * the code, which a dependency brought in by another route could still cross.
 */
class LayoutRulesTest {
  /** The root package of each module whose {@code internal} packages are its own business. */
  static final List<String> MODULE_ROOTS =
      List.of(
          "dev.cohort.api",
          "dev.cohort.jdbc",
          "dev.cohort.protocol",
          "dev.cohort.participant",
          "dev.cohort.client",
          "dev.cohort.coordinator",
          "dev.cohort.store.jdbc",
          "dev.cohort.embedded",
          "dev.cohort.server",
          "dev.cohort.replica",
          "dev.cohort.cache",
          "dev.cohort.lock",
          "dev.cohort.eventstore",
          "dev.cohort.messaging",
          "dev.cohort.messaging.nats",
          "dev.cohort.messagemode",
          "dev.cohort.spring",
          "dev.cohort.xa",
          "dev.cohort.testing",
          "dev.cohort.chaos");

  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.cohort");
  }

  /** Guards the other rules against passing on an empty import (a changed classpath or layout). */
  @Test
  void theImportSeesEveryModule() {
    for (String root : MODULE_ROOTS) {
      assertThat(main.stream().anyMatch(c -> c.getPackageName().startsWith(root)))
          .as("main classes of %s were imported", root)
          .isTrue();
    }
  }

  @Test
  void theApiNeedsOnlyTheJdk() {
    classes()
        .that()
        .resideInAPackage("dev.cohort.api..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("dev.cohort.api..", "java..")
        .because("every other module depends on cohort-api")
        .check(main);
  }

  @Test
  void theJdbcSupportNeedsOnlyTheJdk() {
    classes()
        .that()
        .resideInAPackage("dev.cohort.jdbc..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("dev.cohort.jdbc..", "java..")
        .because("participant services, the log and the replica router all carry cohort-jdbc")
        .check(main);
  }

  @Test
  void theChaosCheckerStaysOutsideEveryOtherModuleAndOutsideTheEngine() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.cohort.chaos..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.cohort.chaos..")
        .because("the chaos checker drives processes and HTTP; no service installs it")
        .check(main);
    noClasses()
        .that()
        .resideInAPackage("dev.cohort.chaos..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.cohort.coordinator..",
            "dev.cohort.store..",
            "dev.cohort.embedded..",
            "dev.cohort.server..",
            "dev.cohort.participant..",
            "dev.cohort.client..")
        .because("the checker judges a system from outside: over /v1 and the system's plug-in")
        .check(main);
  }

  @Test
  void participantsAndClientsNeverReachTheEngine() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.cohort.protocol..",
            "dev.cohort.participant..",
            "dev.cohort.client..",
            "dev.cohort.messaging..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.cohort.coordinator..",
            "dev.cohort.store..",
            "dev.cohort.embedded..",
            "dev.cohort.server..")
        .because("a participant service or a Cohort.connect client must not carry the engine")
        .check(main);
  }

  @Test
  void theEngineNeverReachesTheSdkOrTheServer() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.cohort.coordinator..", "dev.cohort.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.cohort.client..",
            "dev.cohort.participant..",
            "dev.cohort.messaging..",
            "dev.cohort.embedded..",
            "dev.cohort.server..")
        .because("the engine is embeddable alone; the SDK joins it in cohort-embedded")
        .check(main);
  }

  @Test
  void coreModulesNeedNoHttpServerLibraryAndNoSpring() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.cohort.server..", "dev.cohort.spring..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.helidon..", "org.springframework..")
        .because("only cohort-server (and the Spring modules) may bring a server library or Spring")
        .check(main);
  }

  @Test
  void eachBrokerClientStaysInItsBroker() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.cohort.messaging.nats..", "dev.cohort.bench..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.nats..")
        .because("only cohort-messaging-nats brings the NATS client (and the benchmarks use it)")
        .check(main);
    noClasses()
        .that()
        .resideInAPackage("dev.cohort.messaging..")
        .and()
        .haveNameNotMatching("dev\\.cohort\\.messaging\\.RabbitBroker(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.rabbitmq..")
        .because(
            "a service on NATS leaves the RabbitMQ client out (cohort-messaging-nats excludes it):"
                + " nothing but RabbitBroker may load it")
        .check(main);
  }

  @Test
  void theServerNeedsNoSpring() {
    noClasses()
        .that()
        .resideInAPackage("dev.cohort.server..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..")
        .because("the server runs without Spring; the Spring shop of its demo is examples/shop")
        .check(main);
  }

  @ParameterizedTest(name = "{0}.internal is used only inside {0}")
  @FieldSource("MODULE_ROOTS")
  void noModuleReachesIntoAnotherModulesInternals(String root) {
    ArchRule rule =
        noClasses()
            .that()
            .resideOutsideOfPackage(root + "..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage(root + ".internal..")
            .because("internal packages may change in any release");
    rule.check(main);
  }
}
