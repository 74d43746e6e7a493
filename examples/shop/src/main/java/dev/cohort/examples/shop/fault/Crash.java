package dev.cohort.examples.shop.fault;

/** What the {@code crash} fault does: halt the process, or stop the service in a shared JVM. */
@FunctionalInterface
public interface Crash {
  /** Ends the process at once, like a SIGKILL: no shutdown hooks, nothing flushed. */
  Crash HALT = () -> Runtime.getRuntime().halt(137);

  void now();
}
