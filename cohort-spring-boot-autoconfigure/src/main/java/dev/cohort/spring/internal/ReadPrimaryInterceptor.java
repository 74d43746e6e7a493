package dev.cohort.spring.internal;

import dev.cohort.replica.Consistency;
import dev.cohort.replica.Scope;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

/**
 * {@link dev.cohort.spring.ReadPrimary}: the method runs in a {@code Consistency.primary()} scope.
 */
@SuppressWarnings("try") // scopes opened for their effect on this thread
final class ReadPrimaryInterceptor implements MethodInterceptor {
  @Override
  public Object invoke(MethodInvocation invocation) throws Throwable {
    try (Scope s = Consistency.primary()) {
      return invocation.proceed();
    }
  }
}
