package dev.cohort.bench.messaging;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Counts what the relay and the inbox ask of the database through their {@link DataSource}: round
 * trips (a statement executed, a JDBC batch sent, a commit or rollback) and statement executions
 * (each statement of a JDBC batch counts). Independent of the machine's load, unlike the timings,
 * so an A/B of the library shows the work each version does per message.
 */
final class RoundTrips {
  private final AtomicLong roundTrips = new AtomicLong();
  private final AtomicLong executions = new AtomicLong();
  private final AtomicLong commits = new AtomicLong();

  DataSource wrap(DataSource delegate) {
    return proxy(
        DataSource.class,
        delegate,
        (target, method, args) -> {
          Object result = invoke(target, method, args);
          return result instanceof Connection c ? connection(c) : result;
        });
  }

  private Connection connection(Connection delegate) {
    return proxy(
        Connection.class,
        delegate,
        (target, method, args) -> {
          String name = method.getName();
          if (name.equals("commit") || name.equals("rollback")) {
            roundTrips.incrementAndGet();
            commits.incrementAndGet();
          }
          Object result = invoke(target, method, args);
          if (result instanceof Statement s && !(result instanceof java.sql.CallableStatement)) {
            return statement(s, method.getReturnType());
          }
          return result;
        });
  }

  private Object statement(Statement delegate, Class<?> type) {
    return proxy(
        type,
        delegate,
        (target, method, args) -> {
          String name = method.getName();
          if (name.equals("addBatch")) {
            executions.incrementAndGet();
          } else if (name.equals("executeBatch")) {
            roundTrips.incrementAndGet();
          } else if (name.startsWith("execute")) {
            roundTrips.incrementAndGet();
            executions.incrementAndGet();
          }
          return invoke(target, method, args);
        });
  }

  private interface Call {
    Object call(Object target, Method method, Object[] args) throws Throwable;
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, Object target, Call call) {
    InvocationHandler handler = (p, method, args) -> call.call(target, method, args);
    return (T)
        Proxy.newProxyInstance(RoundTrips.class.getClassLoader(), new Class<?>[] {type}, handler);
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  long roundTrips() {
    return roundTrips.get();
  }

  String perMessage(
      long roundTripsBefore, long executionsBefore, long commitsBefore, int messages) {
    return String.format(
        Locale.ROOT,
        "relay + inbox per message: %.3f round trips, %.3f statement executions, %.3f commits",
        (roundTrips.get() - roundTripsBefore) / (double) messages,
        (executions.get() - executionsBefore) / (double) messages,
        (commits.get() - commitsBefore) / (double) messages);
  }

  long[] snapshot() {
    return new long[] {roundTrips.get(), executions.get(), commits.get()};
  }
}
