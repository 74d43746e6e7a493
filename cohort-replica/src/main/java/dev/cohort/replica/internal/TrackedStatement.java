package dev.cohort.replica.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A prepared or callable statement bound to one node at prepare time; tells its connection when it
 * ran (for the token) and answers {@code getConnection()} with the logical connection.
 *
 * <p>An autocommit read on a replica remembers its parameters: if the replica fails it (connection
 * lost, a hot standby cancelling the query in conflict with recovery) it is prepared again on the
 * primary and run there once.
 */
final class TrackedStatement implements InvocationHandler {
  // The arguments are replayed as given and never compared, so an array component is fine.
  @SuppressWarnings("ArrayRecordComponent")
  private record Call(Method method, Object[] args) {}

  private final RoutingConnection owner;
  private final SqlClassifier.Kind kind;
  private final Method prepare;
  private final Object[] prepareArgs;
  private List<Call> settings;
  private Statement real;
  private Node node;

  private TrackedStatement(
      RoutingConnection owner,
      Statement real,
      Node node,
      SqlClassifier.Kind kind,
      Method prepare,
      Object[] prepareArgs) {
    this.owner = owner;
    this.real = real;
    this.node = node;
    this.kind = kind;
    this.prepare = prepare;
    this.prepareArgs = prepareArgs;
    this.settings = owner.retriesOnPrimary(node, kind) ? new ArrayList<>() : null;
  }

  static <T extends Statement> T wrap(
      RoutingConnection owner,
      T real,
      Class<T> type,
      Node node,
      SqlClassifier.Kind kind,
      Method prepare,
      Object[] prepareArgs) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            new TrackedStatement(owner, real, node, kind, prepare, prepareArgs)));
  }

  @Override
  public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
    String name = m.getName();
    switch (name) {
      case "getConnection" -> {
        return owner.proxy();
      }
      case "equals" -> {
        return proxy == args[0];
      }
      case "hashCode" -> {
        return System.identityHashCode(proxy);
      }
      case "unwrap" -> {
        Class<?> iface = (Class<?>) args[0];
        return iface.isInstance(proxy) ? proxy : real.unwrap(iface);
      }
      default -> {}
    }
    if (!name.startsWith("execute")) {
      if (settings != null) {
        if (name.equals("clearParameters")) {
          settings.removeIf(c -> c.method().getName().startsWith("set") && isParameter(c));
        } else if (name.startsWith("set")) {
          settings.add(new Call(m, args));
        }
      }
      return Invocations.call(real, m, args);
    }
    Object result;
    try {
      result = Invocations.call(real, m, args);
    } catch (SQLException e) {
      if (settings != null && RoutingConnection.replicaFailure(e)) {
        return retryOnPrimary(m, args, e);
      }
      owner.failed(node, kind);
      throw e;
    }
    owner.executed(node, kind);
    return result;
  }

  private Object retryOnPrimary(Method m, Object[] args, SQLException cause) throws Throwable {
    Node primary = owner.replicaFailed(node, cause);
    Statement replacement =
        (Statement) Invocations.call(owner.physical(primary), prepare, prepareArgs);
    for (Call c : settings) {
      Invocations.call(replacement, c.method(), c.args());
    }
    Statement old = real;
    real = replacement;
    node = primary;
    settings = null;
    try {
      old.close();
    } catch (SQLException ignored) {
      // the replica statement is already broken
    }
    return Invocations.call(real, m, args);
  }

  private static boolean isParameter(Call c) {
    return c.args() != null && c.args().length >= 2 && c.args()[0] instanceof Integer;
  }
}
