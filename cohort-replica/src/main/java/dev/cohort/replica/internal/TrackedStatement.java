package dev.cohort.replica.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Statement;

/**
 * A prepared or callable statement bound to one node at prepare time; tells its connection when it
 * ran (for the token) and answers {@code getConnection()} with the logical connection.
 */
final class TrackedStatement implements InvocationHandler {
  private final RoutingConnection owner;
  private final Statement real;
  private final Node node;
  private final SqlClassifier.Kind kind;

  private TrackedStatement(
      RoutingConnection owner, Statement real, Node node, SqlClassifier.Kind kind) {
    this.owner = owner;
    this.real = real;
    this.node = node;
    this.kind = kind;
  }

  static <T extends Statement> T wrap(
      RoutingConnection owner, T real, Class<T> type, Node node, SqlClassifier.Kind kind) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            new TrackedStatement(owner, real, node, kind)));
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
      return Invocations.call(real, m, args);
    }
    Object result;
    try {
      result = Invocations.call(real, m, args);
    } catch (java.sql.SQLException e) {
      owner.failed(node, kind);
      throw e;
    }
    owner.executed(node, kind);
    return result;
  }
}
