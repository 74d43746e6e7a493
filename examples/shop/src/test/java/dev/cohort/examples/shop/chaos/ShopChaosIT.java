package dev.cohort.examples.shop.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.chaos.ChaosChecker;
import dev.cohort.chaos.ChaosReport;
import dev.cohort.chaos.ModeStats;
import dev.cohort.chaos.Violation;
import dev.cohort.chaos.Workload;
import dev.cohort.examples.shop.ShopService;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos checker against the real shop: the coordinator server and the services as child JVMs on
 * SQLite files, purchases over HTTP. The shop is started once for both runs (each run compares the
 * totals before and after itself).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShopChaosIT {
  private ShopChaos shop;

  @BeforeAll
  void startShop(@TempDir Path dir) throws Exception {
    shop = ShopChaos.start(dir, ShopService.ACCOUNT);
  }

  @AfterAll
  void stopShop() {
    if (shop != null) {
      shop.close();
    }
  }

  @Test
  @Order(1)
  void tccAndSagaPurchasesSurviveCoordinatorKillsAParticipantKillAndFaultsWithNoViolation()
      throws Exception {
    ChaosReport report =
        ChaosChecker.builder(shop)
            .workload(
                Workload.builder()
                    .mix("tcc=1,saga=1")
                    .concurrency(8)
                    .purchases(300)
                    // 8 callers pausing 300 ms after each purchase start at most ~27 a second,
                    // and wait while the coordinator is down: the run lasts at least ~11 s of
                    // coordinator uptime whatever the machine, room for three kills 2 s apart
                    // and the account service's kill.
                    .thinkTime(Duration.ofMillis(300))
                    .pauseAfterFailure(Duration.ofMillis(300))
                    .build())
            .killCoordinatorEvery(Duration.ofSeconds(2), 3)
            .killParticipantEvery(Duration.ofSeconds(3), 1)
            .systemFaultsEvery(Duration.ofSeconds(1))
            .window(Duration.ofSeconds(120))
            .build()
            .run();

    System.out.print(report.toText());
    assertThat(report.violations()).as(report.toText()).isEmpty();
    assertThat(report.faults().get("kill coordinator")).isEqualTo(3);
    assertThat(report.faults().get("kill account")).isEqualTo(1);
    assertThat(report.faults().get("shop fault switch")).isPositive();
    assertThat(shop.coordinatorSupervisor().kills()).isEqualTo(3);
    assertThat(shop.participantSupervisor().kills()).isEqualTo(1);
    ModeStats tcc = report.modes().get("tcc");
    ModeStats saga = report.modes().get("saga");
    assertThat(tcc.started() + saga.started()).isEqualTo(300);
    assertThat(tcc.committed()).isPositive();
    assertThat(saga.committed()).isPositive();
    assertThat(tcc.committed() + tcc.rolledBack() + saga.committed() + saga.rolledBack())
        .as("purchases the coordinator logged under the checker's gid and carried to an end")
        .isGreaterThan(200);
    assertThat(report.timeToQuiescence()).isNotNull();
    assertThat(report.invariantsChecked())
        .contains(
            "effects-exactly-once",
            "money-conserved",
            "nothing-left-pending",
            ShopInvariants.ALL_OR_NOTHING);
  }

  /**
   * The mode without Cohort with five plain calls to the inventory service failing: each of those
   * purchases has paid without shipping, and the checker names it.
   */
  @Test
  @Order(2)
  void purchasesWithoutCohortAreCaughtByGidAndInvariant() throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> armed =
          http.send(
              HttpRequest.newBuilder(
                      shop.urls().get(ShopService.INVENTORY).resolve("/admin/faults"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"kind\":\"fail\",\"op\":\"plain\",\"count\":5}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(armed.statusCode()).as(armed.body()).isEqualTo(200);
    }

    ChaosReport report =
        ChaosChecker.builder(shop)
            .workload(Workload.builder().mix("plain=1").concurrency(4).purchases(40).build())
            .build()
            .run();

    System.out.print(report.toText());
    assertThat(report.exitCode()).isEqualTo(ChaosReport.VIOLATED);
    List<Violation> unpaired =
        report.violations().stream()
            .filter(v -> v.invariant().equals(ShopInvariants.ALL_OR_NOTHING))
            .toList();
    assertThat(unpaired)
        .hasSize(5)
        .allSatisfy(v -> {
          assertThat(v.gid()).startsWith(report.gidPrefix());
          assertThat(v.message())
              .isEqualTo(
                  "plain purchase answered failed: order paid 0x, pay 1x, stock 0x, points 0x,"
                      + " outbound 0x");
          assertThat(report.toText())
              .contains(ShopInvariants.ALL_OR_NOTHING + " [" + v.gid() + "]");
        });
    assertThat(report.modes().get("plain").failed()).isEqualTo(5);
    assertThat(report.violations())
        .extracting(Violation::invariant)
        .contains("money-conserved")
        .doesNotContain("effects-exactly-once", "every-transaction-terminal", "answers-kept");
  }
}
