package dev.cohort.server;

import dev.cohort.api.BranchId;
import dev.cohort.api.BranchStatus;
import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.coordinator.CoordinatorListener;
import dev.cohort.coordinator.spi.StoreException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The server's metrics, all named {@code cohort_*} in Prometheus. It is the engine's listener
 * (transitions, phase-two calls), the log's flush observer ({@link #onFlush}) and the HTTP
 * participant's call observer ({@link #onBranchCall}); pass it to each when they are built. The
 * series are listed in docs/server.md.
 */
public final class ServerMetrics implements CoordinatorListener {
  private final PrometheusMeterRegistry registry;
  private final Map<GlobalStatus, AtomicLong> backlog = new EnumMap<>(GlobalStatus.class);
  private volatile Supplier<Map<GlobalStatus, Long>> counts = Map::of;
  private final DistributionSummary batchSize;
  private final Timer storeWrite;

  public ServerMetrics(PrometheusMeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    for (GlobalStatus status : GlobalStatus.values()) {
      if (!status.isTerminal()) {
        AtomicLong value = new AtomicLong();
        backlog.put(status, value);
        Gauge.builder("cohort.transactions.unfinished", value, AtomicLong::get)
            .description("transactions not finished, by status (failed ones wait for an operator)")
            .tag("status", status.code())
            .register(registry);
      }
    }
    this.batchSize =
        DistributionSummary.builder("cohort.store.batch.size")
            .description("log units per durable group commit")
            .publishPercentileHistogram()
            .register(registry);
    this.storeWrite =
        Timer.builder("cohort.store.write")
            .description("time of one durable group commit of the log")
            .publishPercentileHistogram()
            .register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void onTransition(Gid gid, Mode mode, GlobalStatus from, GlobalStatus to) {
    String event;
    if (from == null) {
      event = "begun";
    } else {
      event =
          switch (to) {
            case COMMITTED -> "committed";
            case ROLLED_BACK -> "rolled_back";
            case FAILED -> "failed";
            default -> null;
          };
    }
    if (event != null) {
      Counter.builder("cohort.transactions." + event)
          .description("transactions " + event.replace('_', ' ') + ", by mode")
          .tag("mode", mode.code())
          .register(registry)
          .increment();
    }
  }

  @Override
  public void onPhaseTwoCall(
      Gid gid, Mode mode, BranchId branch, BranchStatus target, boolean succeeded) {
    Counter.builder("cohort.phase_two.attempts")
        .description("confirm, cancel and compensate calls, by outcome (failures are retried)")
        .tag("mode", mode.code())
        .tag("target", target.code())
        .tag("outcome", succeeded ? "ok" : "error")
        .register(registry)
        .increment();
  }

  /**
   * One call of a participant URL ({@code status} -1 when no answer came). Matches {@code
   * CallObserver}, so {@code HttpParticipant.builder().observer(metrics::onBranchCall)}.
   */
  public void onBranchCall(String op, URI url, int status, Duration took) {
    String outcome;
    if (status >= 200 && status < 300) {
      outcome = "ok";
    } else if (status == 409) {
      outcome = "refused";
    } else if (status == 425) {
      outcome = "in_progress";
    } else if (status < 100) {
      outcome = "no_answer";
    } else {
      outcome = "error";
    }
    Timer.builder("cohort.branch.calls")
        .description("calls of participant URLs, by operation and outcome")
        .tag("op", op)
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .register(registry)
        .record(took);
  }

  /** One durable group commit of the log; matches {@code FlushObserver}. */
  public void onFlush(int units, Duration took) {
    batchSize.record(units);
    storeWrite.record(took);
  }

  /** One API request; the route is the template (gids would make a series per transaction). */
  public void httpRequest(String route, String method, int status, long nanos) {
    Timer.builder("cohort.http.requests")
        .description("API requests, by route, method and status")
        .tag("route", route)
        .tag("method", known(method))
        .tag("status", Integer.toString(status))
        .publishPercentileHistogram()
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Where the unfinished-transactions gauges read their counts (e.g. the log's countByStatus). */
  public void backlogSource(Supplier<Map<GlobalStatus, Long>> source) {
    this.counts = Objects.requireNonNull(source, "source");
  }

  /** The Prometheus text; refreshes the backlog gauges first (one count query per scrape). */
  public String scrape() {
    try {
      Map<GlobalStatus, Long> now = counts.get();
      backlog.forEach((status, value) -> value.set(now.getOrDefault(status, 0L)));
    } catch (StoreException e) {
      // The log is down: serve the last counts; the other series matter most right now.
    }
    return registry.scrape();
  }

  /** Unknown methods are folded into one tag value so that random methods make no new series. */
  private static String known(String method) {
    return switch (method) {
      case "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS" -> method;
      default -> "other";
    };
  }
}
