package dev.cohort.replica.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

final class Invocations {
  private Invocations() {}

  /**
   * Calls {@code m} on {@code target}, rethrowing what it threw rather than a reflection wrapper.
   */
  static Object call(Object target, Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
