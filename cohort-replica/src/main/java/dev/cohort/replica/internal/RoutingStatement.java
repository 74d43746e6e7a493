package dev.cohort.replica.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain {@link Statement}: its SQL arrives with each {@code execute}, so each execution is routed
 * on its own. Settings made before are replayed on every physical statement it opens.
 */
final class RoutingStatement implements InvocationHandler {
  // The arguments are replayed as given and never compared, so an array component is fine.
  @SuppressWarnings("ArrayRecordComponent")
  private record Call(Method method, Object[] args) {}

  private final RoutingConnection owner;
  private final Method create;
  private final Object[] createArgs;
  private final Map<Node, Statement> real = new LinkedHashMap<>(2);
  private final List<Call> settings = new ArrayList<>();
  private Statement last;
  private boolean closed;

  private RoutingStatement(RoutingConnection owner, Method create, Object[] createArgs) {
    this.owner = owner;
    this.create = create;
    this.createArgs = createArgs;
  }

  static Statement create(RoutingConnection owner, Method create, Object[] args) {
    return (Statement)
        Proxy.newProxyInstance(
            Statement.class.getClassLoader(),
            new Class<?>[] {Statement.class},
            new RoutingStatement(owner, create, args));
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
      case "isClosed" -> {
        return closed;
      }
      case "close" -> {
        closed = true;
        for (Statement s : real.values()) {
          s.close();
        }
        real.clear();
        return null;
      }
      case "unwrap" -> {
        Class<?> iface = (Class<?>) args[0];
        return iface.isInstance(proxy)
            ? proxy
            : on(owner.target(SqlClassifier.Kind.WRITE)).unwrap(iface);
      }
      default -> {}
    }
    if (closed) {
      throw new SQLException("statement is closed (" + name + ")");
    }
    if (name.startsWith("execute")
        && args != null
        && args.length > 0
        && args[0] instanceof String sql) {
      SqlClassifier.Kind kind = owner.classifier().classify(sql);
      Node node = owner.target(kind);
      Statement s = on(node);
      last = s;
      Object result;
      try {
        result = Invocations.call(s, m, args);
      } catch (SQLException e) {
        if (owner.retriesOnPrimary(node, kind) && RoutingConnection.replicaFailure(e)) {
          Node primary = owner.replicaFailed(node, e);
          real.remove(node);
          last = on(primary);
          return Invocations.call(last, m, args);
        }
        owner.failed(node, kind);
        throw e;
      }
      owner.executed(node, kind);
      return result;
    }
    if (name.equals("addBatch")) {
      Node node = owner.target(SqlClassifier.Kind.WRITE);
      last = on(node);
      return Invocations.call(last, m, args);
    }
    if (name.equals("executeBatch") || name.equals("executeLargeBatch")) {
      if (last == null) {
        return name.equals("executeBatch") ? new int[0] : new long[0];
      }
      Object result = Invocations.call(last, m, args);
      owner.executed(owner.target(SqlClassifier.Kind.WRITE), SqlClassifier.Kind.WRITE);
      return result;
    }
    if (name.startsWith("set") && last == null) {
      settings.add(new Call(m, args));
      return null;
    }
    if (name.startsWith("set")) {
      settings.add(new Call(m, args));
      for (Statement s : real.values()) {
        Invocations.call(s, m, args);
      }
      return null;
    }
    Statement target = last != null ? last : on(owner.target(SqlClassifier.Kind.WRITE));
    return Invocations.call(target, m, args);
  }

  private Statement on(Node node) throws Throwable {
    Statement s = real.get(node);
    if (s == null) {
      s = (Statement) Invocations.call(owner.physical(node), create, createArgs);
      for (Call c : settings) {
        Invocations.call(s, c.method(), c.args());
      }
      real.put(node, s);
    }
    return s;
  }
}
