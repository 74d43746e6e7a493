package dev.cohort.chaos;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Something the checker does to the system on a schedule while the purchases run: kill and restart
 * a process, flip a service's fault switch. A fault that throws is counted in the report and the
 * schedule goes on.
 */
public interface Fault {
  String name();

  void inject() throws Exception;

  /** SIGKILL, then restart and wait until healthy. */
  static Fault killAndRestart(Restartable process) {
    Objects.requireNonNull(process, "process");
    return new Fault() {
      @Override
      public String name() {
        return "kill " + process.name();
      }

      @Override
      public void inject() throws Exception {
        process.kill();
        process.restart();
      }
    };
  }

  /** Kills and restarts the next of {@code processes} each time, round robin. */
  static Fault killAndRestartInTurn(String name, List<? extends Restartable> processes) {
    List<Restartable> all = List.copyOf(processes);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("'" + name + "' needs at least one process to kill");
    }
    AtomicInteger next = new AtomicInteger();
    return new Fault() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void inject() throws Exception {
        Restartable process = all.get(Math.floorMod(next.getAndIncrement(), all.size()));
        process.kill();
        process.restart();
      }
    };
  }
}
