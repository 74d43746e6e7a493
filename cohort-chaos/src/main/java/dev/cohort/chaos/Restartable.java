package dev.cohort.chaos;

/**
 * A process the checker kills and brings back. {@link SupervisedProcess} is one for child JVMs and
 * other local processes; implement it yourself for a container or a remote host.
 */
public interface Restartable {
  String name();

  /** Kills the process without warning (SIGKILL): no shutdown hook, no flush. */
  void kill() throws Exception;

  /** Starts it again on the same log and database, and returns once it is healthy. */
  void restart() throws Exception;
}
