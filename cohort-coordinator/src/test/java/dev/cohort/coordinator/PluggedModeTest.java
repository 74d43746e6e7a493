package dev.cohort.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.api.UnknownParticipantException;
import dev.cohort.coordinator.mode.ParticipantKind;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.testing.time.ManualScheduler;
import dev.cohort.testing.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A third mode added from outside the engine, through the public SPI only: "best-effort notify"
 * tells every branch once the client commits, retrying until each heard it; there is nothing to
 * undo. If this test needs a change to the engine, the SPI is not enough.
 */
class PluggedModeTest {
  static final Mode NOTIFY = NotifyMode.NOTIFY;
  static final ParticipantKind<NotifyMode.Recipient> RECIPIENTS = NotifyMode.RECIPIENTS;

  private MutableClock clock;
  private ManualScheduler scheduler;
  private Script script;
  private InMemoryStore log;
  private final List<Coordinator> opened = new ArrayList<>();

  @BeforeEach
  void setUp() {
    clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    scheduler = new ManualScheduler(clock);
    script = new Script();
    log = new InMemoryStore();
  }

  @AfterEach
  void tearDown() {
    opened.forEach(Coordinator::close);
  }

  private Coordinator.Builder builder() {
    return Coordinator.builder(log)
        .options(
            CoordinatorOptions.newBuilder()
                .nodeId("node-1")
                .initialBackoff(Duration.ofSeconds(1))
                .jitter(0.0)
                .pollInterval(Duration.ofHours(1))
                .build())
        .clock(clock)
        .scheduler(scheduler)
        .executor(Runnable::run)
        .deliveryExecutor(Runnable::run);
  }

  private Coordinator withNotify() {
    Coordinator c = builder().mode(NotifyMode.NotifyProcessor::new).build();
    for (String name : List.of("mail", "sms")) {
      c.registerParticipant(RECIPIENTS, name, ctx -> script.run(name + ".tell", ctx));
    }
    c.registerTcc("a", script.tcc("a"));
    opened.add(c);
    return c.start();
  }

  private Coordinator withoutNotify() {
    Coordinator c = builder().build();
    opened.add(c);
    return c.start();
  }

  private Map<String, BranchStatus> branchStatuses(Coordinator c, Gid gid) {
    return c.find(gid).branches().stream()
        .collect(Collectors.toMap(b -> b.branchId().value(), BranchRecord::status));
  }

  @Test
  void aPluggedModeRunsThroughOpenRegisterAndCommit() {
    Coordinator coordinator = withNotify();
    Gid gid = coordinator.open(NOTIFY, null, null).gid();
    coordinator.register(gid, BranchId.of("m"), "mail", "hello", false);
    coordinator.register(gid, spec(BranchId.of("s"), "sms", "hi"));

    Outcome outcome = coordinator.commit(gid);

    assertThat(outcome.status()).isEqualTo(GlobalStatus.COMMITTED);
    assertThat(script.calls()).containsExactly("mail.tell:m", "sms.tell:s");
    assertThat(coordinator.find(gid).global().mode()).isEqualTo(NOTIFY);
    assertThat(branchStatuses(coordinator, gid))
        .containsOnly(
            Map.entry("m", BranchStatus.CONFIRMED), Map.entry("s", BranchStatus.CONFIRMED));
    // The built-in modes are untouched by the plug-in.
    assertThat(coordinator.tcc().branch("a", "1").execute().status())
        .isEqualTo(GlobalStatus.COMMITTED);
  }

  @Test
  void openWithAFirstBranchAndAbortGoThroughThePluggedProcessor() {
    Coordinator coordinator = withNotify();
    Gid gid = coordinator.open(NOTIFY, null, null, spec(BranchId.of("m"), "mail", "x")).gid();

    Outcome outcome = coordinator.abort(gid);

    assertThat(outcome.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    assertThat(script.calls()).isEmpty();
    assertThat(branchStatuses(coordinator, gid)).containsOnly(Map.entry("m", BranchStatus.SKIPPED));
  }

  @Test
  void thePluggedModeValidatesItsOwnBranches() {
    Coordinator coordinator = withNotify();
    Gid gid = coordinator.open(NOTIFY, null, null).gid();

    assertThatThrownBy(() -> coordinator.register(gid, BranchId.of("x"), "a", "1", false))
        .isInstanceOf(UnknownParticipantException.class)
        .hasMessageContaining("notify recipient")
        .hasMessageContaining("mail, sms");
    assertThatThrownBy(() -> coordinator.register(gid, BranchId.of("x"), "mail", "1", true))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("drop forward");
    // A TCC name is looked up among TCC participants only, and the other way round.
    Gid tcc = coordinator.open(Mode.TCC, null, null).gid();
    assertThatThrownBy(() -> coordinator.register(tcc, BranchId.of("x"), "mail", "1", false))
        .isInstanceOf(UnknownParticipantException.class)
        .hasMessageContaining("TCC participant");
  }

  @Test
  void aCrashAfterTheDecisionIsResumedByTheRestartedEngine() {
    Coordinator first = withNotify();
    script.alwaysFail("sms.tell");
    Gid gid = first.open(NOTIFY, null, null).gid();
    first.register(gid, BranchId.of("m"), "mail", "hello", false);
    first.register(gid, BranchId.of("s"), "sms", "hi", false);
    assertThat(first.commit(gid).status()).isEqualTo(GlobalStatus.COMMITTING);
    first.close(); // the process dies with the retry still pending
    script.heal("sms.tell");

    Coordinator restarted = withNotify();

    assertThat(restarted.find(gid).status()).isEqualTo(GlobalStatus.COMMITTED);
    // mail heard it before the crash and was recorded, so only sms is told again.
    assertThat(script.count("mail.tell:m")).isEqualTo(1);
    assertThat(script.count("sms.tell:s")).isEqualTo(2);
  }

  @Test
  void aLoggedTransactionOfAModeWithoutProcessorIsLeftAloneNotCrashingTheEngine() {
    Coordinator first = withNotify();
    script.alwaysFail("sms.tell");
    Gid gid = first.open(NOTIFY, null, null).gid();
    first.register(gid, BranchId.of("s"), "sms", "hi", false);
    first.commit(gid);
    first.close();
    script.heal("sms.tell");

    Coordinator without = withoutNotify(); // recovery finds a notify transaction it cannot drive
    without.pollNow();
    clock.advance(Duration.ofHours(2));
    without.pollNow();

    assertThat(without.find(gid).status()).isEqualTo(GlobalStatus.COMMITTING);
    assertThatThrownBy(() -> without.retryNow(gid))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no processor for mode notify");
    without.close();

    Coordinator with = withNotify();
    assertThat(with.find(gid).status()).isEqualTo(GlobalStatus.COMMITTED);
  }

  @Test
  void aModeWithoutProcessorIsRefusedAtEveryEntryPoint() {
    Coordinator coordinator = withoutNotify();

    for (Mode mode : List.of(Mode.XA, Mode.THREE_PC, NOTIFY)) {
      String expected = "no processor for mode " + mode.code();
      assertThatThrownBy(() -> coordinator.open(mode, null, null))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining(expected)
          .hasMessageContaining("saga, tcc")
          .hasMessageContaining("Coordinator.builder(store).mode(");
      assertThatThrownBy(() -> coordinator.open(mode, null, null, spec(BranchId.of("b"), "a", "1")))
          .hasMessageContaining(expected);
      assertThatThrownBy(() -> coordinator.commitEmpty(mode, null)).hasMessageContaining(expected);
    }
    assertThatThrownBy(() -> coordinator.open(null, null, null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("needs a mode");
  }

  @Test
  void aSecondProcessorForAModeIsRefused() {
    assertThatThrownBy(() ->
            builder()
                .mode(NotifyMode.NotifyProcessor::new)
                .mode(NotifyMode.NotifyProcessor::new)
                .build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("mode notify already has a processor");
    assertThatThrownBy(() ->
            builder()
                .mode(ctx ->
                    new NotifyMode.NotifyProcessor(ctx) {
                      @Override
                      public Mode mode() {
                        return Mode.TCC;
                      }
                    })
                .build())
        .hasMessageContaining("mode tcc already has a processor");
  }

  @Test
  void aParticipantOfTheWrongTypeIsRefusedWithTheTypes() {
    Coordinator coordinator = withNotify();
    @SuppressWarnings({"unchecked", "rawtypes"})
    ParticipantKind<Object> loose = (ParticipantKind) RECIPIENTS;

    assertThatThrownBy(() -> coordinator.registerParticipant(loose, "x", "not a recipient"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Recipient")
        .hasMessageContaining("java.lang.String");
  }

  private static BranchSpec spec(BranchId id, String participant, String payload) {
    return new BranchSpec(id, participant, payload, false);
  }
}
