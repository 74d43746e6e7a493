package dev.cohort.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.http.HttpParticipant;
import dev.cohort.examples.shop.common.ReservationStatus;
import dev.cohort.examples.shop.common.TransitionLog;
import dev.cohort.examples.shop.demo.Invariants;
import dev.cohort.examples.shop.demo.ShopClient;
import dev.cohort.examples.shop.order.OrderStatus;
import dev.cohort.examples.shop.warehouse.NoteStatus;
import dev.cohort.protocol.CallSignature;
import dev.cohort.server.CohortServer;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The shop end to end: a coordinator server and the five services, each on its own schema or
 * database of the backend under test, talking real HTTP. Each mode's happy path and each fault kind
 * of the fault switch, per mode, with the invariants checked once all is quiet. One subclass per
 * backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ShopContract {
  static final String KEY = "contract-signing-key-of-32-bytes-at-least";
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(1);
  static final long HANG = 2_500;
  static final Duration SETTLE = Duration.ofSeconds(60);

  private Path dir;
  private CohortServer server;
  private ShopSettings settings;
  private ShopServices shop;
  private ShopClient client;
  private Map<ShopService, JsonNode> before;

  /** Each service's JDBC URL on a fresh, empty schema or database of its own. */
  abstract Map<ShopService, String> freshDatabases() throws Exception;

  abstract String user();

  abstract String password();

  @BeforeAll
  void startShop() throws Exception {
    dir = Files.createTempDirectory("shop-contract");
    CallSignature signer =
        new CallSignature(
            Map.of("shop", KEY.getBytes(StandardCharsets.UTF_8)),
            "shop",
            CallSignature.DEFAULT_MAX_SKEW,
            Clock.systemUTC());
    server =
        CohortServer.builder(JdbcTransactionStore.sqlite(dir.resolve("log.db")))
            .port(0)
            .token("contract-token-of-the-shop")
            .options(
                CoordinatorOptions.newBuilder()
                    .initialBackoff(Duration.ofMillis(50))
                    .maxBackoff(Duration.ofMillis(500))
                    .pollInterval(Duration.ofMillis(100))
                    .build())
            .httpParticipant(
                HttpParticipant.builder().signer(signer).callTimeout(CALL_TIMEOUT).build())
            .build()
            .start();
    settings =
        new ShopSettings(
            "http://127.0.0.1:" + server.port(),
            "contract-token-of-the-shop",
            KEY,
            freshDatabases(),
            user(),
            password(),
            true,
            Map.of(
                "logging.level.root", "WARN",
                "logging.level.dev.cohort", "ERROR",
                "shop.plain.timeout", CALL_TIMEOUT.toMillis() + "ms",
                "cohort.participant.resolver.hold-threshold", "4s",
                "cohort.participant.resolver.period", "500ms"));
    shop = ShopServices.startAll(settings, 0);
    client = new ShopClient(shop.urls());
  }

  @AfterAll
  void stopShop() {
    if (client != null) {
      client.close();
    }
    if (shop != null) {
      shop.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void snapshot() {
    before = client.state();
  }

  /** Transitions seen so far; kept here because a restarted service starts a new log. */
  private final Set<String> transitions = new HashSet<>();

  @AfterEach
  void disarm() {
    client.clearFaults();
    for (JsonNode s : client.state().values()) {
      s.path("transitions").forEach(t -> transitions.add(t.asText()));
    }
  }

  // --- TCC ---

  @Test
  @Order(1)
  void tccHappyPathPaysTheOrderAndKeepsEveryInvariant() {
    JsonNode r = buy("tcc");
    assertThat(r.path("outcome").asText()).isEqualTo("committed");
    assertThat(r.path("orderStatus").asText()).isEqualTo("PAID");
    assertInvariantsHold();
  }

  @Test
  @Order(2)
  void tccFailedTryRollsBackEverythingTheOtherTriesReserved() {
    arm(ShopService.INVENTORY, "{\"kind\":\"fail\",\"op\":\"try\"}");
    JsonNode r = buy("tcc");
    assertThat(r.path("outcome").asText()).isEqualTo("rolled_back");
    assertOrderEnds(r, "CANCELLED");
    assertInvariantsHold();
  }

  @Test
  @Order(3)
  void tccFailedConfirmsAreRetriedUntilTheOrderIsPaid() {
    arm(ShopService.ACCOUNT, "{\"kind\":\"fail\",\"op\":\"confirm\",\"count\":2}");
    JsonNode r = buy("tcc");
    assertThat(r.path("outcome").asText()).isEqualTo("committed");
    assertOrderEnds(r, "PAID");
    assertInvariantsHold();
    // At least one confirm failed and was retried (the second may be pre-empted by the account's
    // own resolver when the machine is slow and the reservation ages past its threshold).
    assertCaught(ShopService.ACCOUNT, "fail", 1);
  }

  @Test
  @Order(4)
  void tccWithLatencyStillCommits() {
    arm(ShopService.POINTS, "{\"kind\":\"latency\",\"count\":0,\"millis\":100}");
    JsonNode r = buy("tcc");
    assertThat(r.path("outcome").asText()).isEqualTo("committed");
    assertOrderEnds(r, "PAID");
    assertInvariantsHold();
  }

  @Test
  @Order(5)
  void tccTryThatTimesOutIsCancelledAndItsLateArrivalRefused() {
    arm(ShopService.POINTS, "{\"kind\":\"timeout\",\"op\":\"try\",\"millis\":" + HANG + "}");
    JsonNode r = buy("tcc");
    assertThat(r.path("outcome").asText()).isEqualTo("rolled_back");
    assertOrderEnds(r, "CANCELLED");
    // The hung try goes on after the cancel; the barrier must refuse it (no pending points).
    await().atMost(SETTLE).until(() -> !caughtStillHanging(ShopService.POINTS));
    assertInvariantsHold();
  }

  @Test
  @Order(6)
  void tccCancelDeliveredBeforeItsTryLeavesNothingReserved() {
    arm(ShopService.WAREHOUSE, "{\"kind\":\"cancel-before-try\",\"millis\":" + HANG + "}");
    JsonNode r = buy("tcc");
    assertThat(r.path("outcome").asText()).isEqualTo("rolled_back");
    assertOrderEnds(r, "CANCELLED");
    assertInvariantsHold();
    assertCaught(ShopService.WAREHOUSE, "cancel-before-try", 1);
  }

  @Test
  @Order(7)
  void tccDuplicatedConfirmIsAppliedOnce() {
    arm(ShopService.ACCOUNT, "{\"kind\":\"duplicate-confirm\"}");
    JsonNode r = buy("tcc");
    assertThat(r.path("outcome").asText()).isEqualTo("committed");
    assertOrderEnds(r, "PAID");
    assertInvariantsHold();
    assertCaught(ShopService.ACCOUNT, "duplicate-confirm", 1);
  }

  @Test
  @Order(8)
  void tccParticipantThatCrashesOnConfirmIsConfirmedAfterItComesBack() {
    arm(ShopService.INVENTORY, "{\"kind\":\"crash\",\"op\":\"confirm\"}");
    JsonNode r = buy("tcc");
    assertThat(r.path("outcome").asText()).isEqualTo("committed");
    await().atMost(SETTLE).until(() -> !shop.context(ShopService.INVENTORY).isActive());
    shop.restart(ShopService.INVENTORY, settings);
    assertOrderEnds(r, "PAID");
    assertInvariantsHold();
  }

  @Test
  @Order(9)
  void aReservationHeldTooLongIsSettledByAskingTheCoordinator() {
    // Every confirm the coordinator sends the account fails; only the account's own resolver,
    // which asks the coordinator and applies the decision through the barrier, can settle it.
    arm(ShopService.ACCOUNT, "{\"kind\":\"fail\",\"op\":\"confirm\",\"count\":0}");
    JsonNode r = buy("tcc");
    assertThat(r.path("outcome").asText()).isEqualTo("committed");
    await()
        .atMost(SETTLE)
        .until(
            () -> client.state().get(ShopService.ACCOUNT).path("reservationsHeld").asLong() == 0);
    assertThat(client.state().get(ShopService.ACCOUNT).path("frozen").asLong()).isZero();
    client.clearFaults();
    assertOrderEnds(r, "PAID");
    assertInvariantsHold();
  }

  // --- saga ---

  @Test
  @Order(20)
  void sagaHappyPathPaysTheOrderAndKeepsEveryInvariant() {
    JsonNode r = buy("saga");
    assertThat(r.path("outcome").asText()).isEqualTo("committed");
    assertOrderEnds(r, "PAID");
    assertInvariantsHold();
  }

  @Test
  @Order(21)
  void sagaFailedStepCompensatesTheStepsBeforeIt() {
    arm(ShopService.INVENTORY, "{\"kind\":\"fail\",\"op\":\"action\"}");
    JsonNode r = buy("saga");
    assertThat(r.path("outcome").asText()).isEqualTo("rolled_back");
    assertOrderEnds(r, "CANCELLED");
    assertInvariantsHold();
  }

  @Test
  @Order(22)
  void sagaFailedCompensationIsRetried() {
    arm(ShopService.ACCOUNT, "{\"kind\":\"fail\",\"op\":\"compensate\",\"count\":2}");
    arm(ShopService.POINTS, "{\"kind\":\"fail\",\"op\":\"action\"}");
    JsonNode r = buy("saga");
    assertOrderEnds(r, "CANCELLED");
    assertInvariantsHold();
    assertCaught(ShopService.ACCOUNT, "fail", 2);
  }

  @Test
  @Order(23)
  void sagaOutboundStepIsRecoveredForwardNotCompensated() {
    arm(ShopService.WAREHOUSE, "{\"kind\":\"fail\",\"op\":\"action\",\"count\":3}");
    JsonNode r = buy("saga");
    assertOrderEnds(r, "PAID");
    assertInvariantsHold();
  }

  @Test
  @Order(24)
  void sagaWithLatencyStillCommits() {
    arm(ShopService.INVENTORY, "{\"kind\":\"latency\",\"count\":0,\"millis\":100}");
    JsonNode r = buy("saga");
    assertOrderEnds(r, "PAID");
    assertInvariantsHold();
  }

  @Test
  @Order(25)
  void sagaStepThatTimesOutIsCompensatedAndItsLateArrivalRefused() {
    arm(ShopService.ACCOUNT, "{\"kind\":\"timeout\",\"op\":\"action\",\"millis\":" + HANG + "}");
    JsonNode r = buy("saga");
    assertOrderEnds(r, "CANCELLED");
    await().atMost(SETTLE).until(() -> !caughtStillHanging(ShopService.ACCOUNT));
    assertInvariantsHold();
  }

  @Test
  @Order(26)
  void sagaParticipantThatCrashesIsRetriedAfterItComesBack() {
    arm(ShopService.WAREHOUSE, "{\"kind\":\"crash\",\"op\":\"action\"}");
    JsonNode r = buy("saga");
    await().atMost(SETTLE).until(() -> !shop.context(ShopService.WAREHOUSE).isActive());
    shop.restart(ShopService.WAREHOUSE, settings);
    assertOrderEnds(r, "PAID");
    assertInvariantsHold();
  }

  // --- without Cohort ---

  @Test
  @Order(40)
  void plainHappyPathPays() {
    JsonNode r = buy("plain");
    assertThat(r.path("outcome").asText()).isEqualTo("committed");
    assertThat(r.path("orderStatus").asText()).isEqualTo("PAID");
    assertInvariantsHold();
  }

  @Test
  @Order(41)
  void plainFailedCallLeavesTheMoneyTakenForACancelledOrder() {
    arm(ShopService.INVENTORY, "{\"kind\":\"fail\"}");
    JsonNode r = buy("plain");
    assertThat(r.path("outcome").asText()).isEqualTo("failed");
    assertThat(r.path("orderStatus").asText()).isEqualTo("CANCELLED");
    assertBroken("money: what left the accounts = what paid orders cost");
  }

  @Test
  @Order(42)
  void plainTimeoutLeavesStockShippedForACancelledOrder() {
    arm(ShopService.POINTS, "{\"kind\":\"timeout\",\"millis\":" + HANG + "}");
    JsonNode r = buy("plain");
    assertThat(r.path("outcome").asText()).isEqualTo("failed");
    assertBroken("stock: shipped = quantity of paid orders");
    // The hung call still adds the points for nobody; let it land before the next test.
    await().atMost(SETTLE).until(() -> !caughtStillHanging(ShopService.POINTS));
  }

  @Test
  @Order(43)
  void plainWithLatencyStillPays() {
    arm(ShopService.ACCOUNT, "{\"kind\":\"latency\",\"millis\":100}");
    JsonNode r = buy("plain");
    assertThat(r.path("outcome").asText()).isEqualTo("committed");
    assertInvariantsHold();
  }

  @Test
  @Order(44)
  void plainCrashedServiceLeavesTheEarlierStepsApplied() {
    arm(ShopService.WAREHOUSE, "{\"kind\":\"crash\"}");
    JsonNode r = buy("plain");
    assertThat(r.path("outcome").asText()).isEqualTo("failed");
    await().atMost(SETTLE).until(() -> !shop.context(ShopService.WAREHOUSE).isActive());
    shop.restart(ShopService.WAREHOUSE, settings);
    assertBroken("points: added = points of paid orders");
  }

  @Test
  @Order(99)
  void everyLegalStatusTransitionWasExercised() {
    Set<String> seen = new HashSet<>(transitions);
    Set<String> legal = new HashSet<>();
    legal.addAll(TransitionLog.legal(OrderStatus.class));
    legal.addAll(TransitionLog.legal(NoteStatus.class));
    legal.addAll(TransitionLog.legal(ReservationStatus.class));
    assertThat(seen).containsAll(legal);
  }

  // --- helpers ---

  private JsonNode buy(String mode) {
    return client.purchase(mode, "a01", "book", 1);
  }

  private void arm(ShopService service, String fault) {
    client.arm(service, fault);
  }

  private void assertOrderEnds(JsonNode purchase, String status) {
    String orderId = purchase.path("orderId").asText();
    await()
        .atMost(SETTLE)
        .untilAsserted(() -> assertThat(client.orderStatus(orderId)).isEqualTo(status));
  }

  /** Eventually (a compensation or confirm may still be on its way), every invariant holds. */
  private void assertInvariantsHold() {
    await()
        .atMost(SETTLE)
        .untilAsserted(() -> {
          Map<ShopService, JsonNode> after = client.state();
          assertThat(Invariants.quiet(after)).as("quiet").isTrue();
          assertThat(Invariants.check(before, after))
              .allSatisfy(c -> assertThat(c.holds()).as(c.name() + ": " + c.figures()).isTrue());
        });
  }

  private void assertBroken(String invariant) {
    List<Invariants.Check> checks = Invariants.check(before, client.state());
    assertThat(checks)
        .filteredOn(c -> c.name().equals(invariant))
        .singleElement()
        .satisfies(c -> assertThat(c.holds()).as(c.figures()).isFalse());
  }

  private void assertCaught(ShopService service, String kind, long atLeast) {
    assertThat(client.state().get(service).path("faultsCaught").path(kind).asLong())
        .isGreaterThanOrEqualTo(atLeast);
  }

  /** Whether a call held by a fault is still to arrive at the service's barrier. */
  private boolean caughtStillHanging(ShopService service) {
    return client.state().get(service).path("faultsInFlight").asInt() > 0;
  }
}
