package dev.cohort.replica;

/**
 * Told of every change of a node's {@link NodeHealth}, on the thread that noticed it (a poller, or
 * a connection that failed). Keep it quick; what it throws is logged and ignored.
 */
@FunctionalInterface
public interface NodeHealthListener {
  void onTransition(String node, NodeHealth from, NodeHealth to);
}
