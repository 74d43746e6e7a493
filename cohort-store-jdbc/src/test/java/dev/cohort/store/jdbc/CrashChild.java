package dev.cohort.store.jdbc;

import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.CoordinatorListener;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.SagaStep;
import dev.cohort.coordinator.TccParticipant;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The process {@link CrashRecoveryIT} kills. Runs one transaction and, at the requested durable
 * point, prints {@code REACHED} and freezes until the parent SIGKILLs it.
 *
 * <p>Arguments: log file, effects file, crash point, gid.
 */
public final class CrashChild {
  /** Where the child freezes. */
  enum Point {
    AFTER_BEGIN,
    AFTER_TRIES,
    AFTER_DECISION,
    MID_CONFIRM,
    SAGA_MID_FORWARD,
    SAGA_MID_COMPENSATION
  }

  static final String NODE = "crash-node";

  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    Path log = Path.of(args[0]);
    Effects effects = new Effects(Path.of(args[1]));
    Point point = Point.valueOf(args[2]);
    Gid gid = Gid.of(args[3]);

    Coordinator coordinator =
        Coordinator.builder(JdbcTransactionStore.sqlite(log))
            .options(CoordinatorOptions.newBuilder().nodeId(NODE).build())
            .listener(
                new CoordinatorListener() {
                  @Override
                  public void onTransition(Gid g, GlobalStatus from, GlobalStatus to) {
                    if ((point == Point.AFTER_BEGIN && from == null)
                        || (point == Point.AFTER_DECISION && to == GlobalStatus.COMMITTING)) {
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
                if (point == Point.AFTER_TRIES && name.equals("stock")) {
                  freeze(point);
                }
              },
              ctx -> {
                effects.record(ctx, "confirm");
                if (point == Point.MID_CONFIRM && name.equals("stock")) {
                  freeze(point);
                }
              },
              ctx -> effects.record(ctx, "cancel")));
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
    if (point.name().startsWith("SAGA")) {
      coordinator
          .saga()
          .gid(gid)
          .step("debit", "1")
          .step("reserve", "2")
          .step("ship", "3")
          .execute();
    } else {
      coordinator.tcc().gid(gid).branch("account", "100").branch("stock", "sku-1").execute();
    }
    System.out.println("FINISHED without reaching " + point);
    System.out.flush();
    freeze(null);
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
