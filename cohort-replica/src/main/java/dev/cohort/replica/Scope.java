package dev.cohort.replica;

/**
 * An open consistency scope. Close it on the thread that opened it, ideally with
 * try-with-resources; closing it also closes scopes opened inside it and later closes are no-ops.
 */
public interface Scope extends AutoCloseable {
  @Override
  void close();
}
