package dev.cohort.spring.internal;

import dev.cohort.participant.HeldBranchResolver;
import dev.cohort.spring.CohortProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import org.springframework.context.SmartLifecycle;

/**
 * The resolvers of the service's {@code HeldBranchesOf} beans, run on one daemon thread from the
 * moment the application is up (the phase after the web server's start) until it stops.
 */
final class HeldBranchResolvers implements SmartLifecycle {
  private final List<HeldBranchResolver> resolvers;
  private final CohortProperties.Resolver settings;
  private final ScheduledExecutorService scheduler;
  private final List<ScheduledFuture<?>> rounds = new ArrayList<>();
  private volatile boolean running;

  HeldBranchResolvers(
      List<HeldBranchResolver> resolvers,
      CohortProperties.Resolver settings,
      ScheduledExecutorService scheduler) {
    this.resolvers = List.copyOf(resolvers);
    this.settings = settings;
    this.scheduler = scheduler;
  }

  @Override
  public synchronized void start() {
    for (HeldBranchResolver r : resolvers) {
      rounds.add(r.start(scheduler, settings.getPeriod()));
    }
    running = true;
  }

  @Override
  public synchronized void stop() {
    rounds.forEach(f -> f.cancel(false));
    rounds.clear();
    scheduler.shutdown();
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
