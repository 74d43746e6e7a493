package dev.cohort.store.jdbc;

import dev.cohort.api.BranchId;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.CoordinatorListener;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.SagaStep;
import dev.cohort.coordinator.TccParticipant;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The process {@link CrashRecoveryContract} kills. Runs one transaction (or a few) and, at the
 * requested durable point, prints {@code REACHED} and freezes until the parent SIGKILLs it.
 *
 * <p>Arguments: the log ({@link CrashLog#args()}), effects file, crash point, gid.
 */
public final class CrashChild {
  /** Where the child freezes. */
  enum Point {
    AFTER_BEGIN,
    AFTER_TRIES,
    AFTER_DECISION,
    MID_CONFIRM,
    SAGA_MID_FORWARD,
    SAGA_MID_COMPENSATION,
    /** Many concurrent transactions; killed wherever each of them happens to be. */
    STRESS,
    /** A TCC try refused, the rollback decided; killed inside the first cancel. */
    TCC_MID_CANCEL,
    /** An open transaction with a tried branch, its client not done yet. */
    OPEN,
    /** {@link #BACKLOG} committed transactions whose stock confirm failed, waiting for a retry. */
    BACKLOG,
    /** Presumed abort: both tries succeeded, nothing written yet; killed inside the last try. */
    PRESUMED_AFTER_TRIES,
    /** Presumed abort: killed once the commit decision (the first write) is durable. */
    PRESUMED_AFTER_DECISION
  }

  /** Transactions the {@link Point#BACKLOG} child leaves committing. */
  static final int BACKLOG = 20;

  static Gid backlogGid(Gid base, int n) {
    return Gid.of(base.value() + "-" + n);
  }

  /** Transactions finished before the stress child announces it may be killed. */
  static final int STRESS_FINISHED_BEFORE_KILL = 60;

  static final int STRESS_THREADS = 8;

  /** One transaction in five is refused by "account", so both outcomes are in flight. */
  static boolean refused(String gid) {
    return Math.floorMod(gid.hashCode(), 5) == 0;
  }

  static final String NODE = "crash-node";

  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    CrashLog log = CrashLog.parse(args, 0);
    int i = log.argCount();
    Effects effects = new Effects(Path.of(args[i]));
    Point point = Point.valueOf(args[i + 1]);
    Gid gid = Gid.of(args[i + 2]);

    Coordinator coordinator =
        Coordinator.builder(log.open())
            // A failed confirm is retried only after the kill, by the fresh engine.
            .options(
                CoordinatorOptions.newBuilder()
                    .nodeId(NODE)
                    .initialBackoff(Duration.ofHours(1))
                    .maxBackoff(Duration.ofHours(1))
                    .build())
            .listener(
                new CoordinatorListener() {
                  @Override
                  public void onTransition(Gid g, GlobalStatus from, GlobalStatus to) {
                    if ((point == Point.AFTER_BEGIN && from == null)
                        || ((point == Point.AFTER_DECISION
                                || point == Point.PRESUMED_AFTER_DECISION)
                            && to == GlobalStatus.COMMITTING)) {
                      freeze(point);
                    }
                  }
                })
            .build();
    for (String name : new String[] {"account", "stock"}) {
      coordinator.registerTcc(
          name,
          TccParticipant.of(
              ctx -> {
                effects.record(ctx, "try");
                if (point == Point.STRESS && name.equals("account") && refused(ctx.gid().value())) {
                  throw new ParticipantRefusedException("stress refusal");
                }
                if (point == Point.TCC_MID_CANCEL && name.equals("stock")) {
                  throw new ParticipantRefusedException("out of stock");
                }
                if ((point == Point.AFTER_TRIES || point == Point.PRESUMED_AFTER_TRIES)
                    && name.equals("stock")) {
                  freeze(point);
                }
              },
              ctx -> {
                effects.record(ctx, "confirm");
                if (point == Point.MID_CONFIRM && name.equals("stock")) {
                  freeze(point);
                }
                if (point == Point.BACKLOG && name.equals("stock")) {
                  throw new IllegalStateException("stock is down until the restart");
                }
              },
              ctx -> {
                effects.record(ctx, "cancel");
                if (point == Point.TCC_MID_CANCEL && name.equals("account")) {
                  freeze(point);
                }
              }));
    }
    for (String name : new String[] {"debit", "reserve", "ship"}) {
      coordinator.registerSagaStep(
          name,
          SagaStep.of(
              ctx -> {
                if (point == Point.SAGA_MID_COMPENSATION && name.equals("ship")) {
                  throw new ParticipantRefusedException("no carrier");
                }
                effects.record(ctx, "action");
                if (point == Point.SAGA_MID_FORWARD && name.equals("reserve")) {
                  freeze(point);
                }
              },
              ctx -> {
                effects.record(ctx, "compensate");
                if (point == Point.SAGA_MID_COMPENSATION && name.equals("reserve")) {
                  freeze(point);
                }
              }));
    }
    coordinator.start();
    if (point == Point.STRESS) {
      stress(coordinator);
    }
    if (point == Point.OPEN) {
      coordinator.open(Mode.TCC, Duration.ofMinutes(10), gid);
      coordinator.register(gid, BranchId.of("b1"), "account", "100", false);
      freeze(point);
    }
    if (point == Point.BACKLOG) {
      for (int n = 0; n < BACKLOG; n++) {
        coordinator
            .tcc()
            .gid(backlogGid(gid, n))
            .branch("account", "1")
            .branch("stock", "2")
            .execute();
      }
      freeze(point);
    }
    if (point.name().startsWith("SAGA")) {
      coordinator
          .saga()
          .gid(gid)
          .step("debit", "1")
          .step("reserve", "2")
          .step("ship", "3")
          .execute();
    } else if (point.name().startsWith("PRESUMED")) {
      coordinator
          .tcc()
          .gid(gid)
          .presumedAbort()
          .branch("account", "100")
          .branch("stock", "sku-1")
          .execute();
    } else {
      coordinator.tcc().gid(gid).branch("account", "100").branch("stock", "sku-1").execute();
    }
    System.out.println("FINISHED without reaching " + point);
    System.out.flush();
    freeze(null);
  }

  private static void stress(Coordinator coordinator) throws InterruptedException {
    java.util.concurrent.atomic.AtomicInteger finished =
        new java.util.concurrent.atomic.AtomicInteger();
    for (int i = 0; i < STRESS_THREADS; i++) {
      Thread t =
          new Thread(() -> {
            while (true) {
              coordinator.tcc().branch("account", "1").branch("stock", "2").execute();
              if (finished.incrementAndGet() == STRESS_FINISHED_BEFORE_KILL) {
                System.out.println("REACHED " + Point.STRESS);
                System.out.flush();
              }
            }
          });
      t.start();
    }
    new CountDownLatch(1).await();
  }

  private static void freeze(Point point) {
    if (point != null) {
      System.out.println("REACHED " + point);
      System.out.flush();
    }
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
