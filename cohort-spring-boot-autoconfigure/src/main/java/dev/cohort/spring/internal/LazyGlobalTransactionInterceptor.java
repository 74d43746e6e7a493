package dev.cohort.spring.internal;

import dev.cohort.client.Cohort;
import dev.cohort.spring.GlobalTransactions;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Resolves the {@link Cohort} bean at the first call: advisors are created before most beans, and
 * the SDK may come from the embedded auto-configuration or from the application.
 */
final class LazyGlobalTransactionInterceptor implements MethodInterceptor {
  private final ObjectProvider<Cohort> cohort;
  private final ObjectProvider<GlobalTransactions> transactions;
  private final ObjectProvider<TransactionMetrics> metrics;
  private volatile GlobalTransactionInterceptor delegate;

  LazyGlobalTransactionInterceptor(
      ObjectProvider<Cohort> cohort,
      ObjectProvider<GlobalTransactions> transactions,
      ObjectProvider<TransactionMetrics> metrics) {
    this.cohort = cohort;
    this.transactions = transactions;
    this.metrics = metrics;
  }

  @Override
  public Object invoke(MethodInvocation invocation) throws Throwable {
    GlobalTransactionInterceptor d = delegate;
    if (d == null) {
      Cohort c = cohort.getIfAvailable();
      if (c == null) {
        throw new IllegalStateException(
            "@GlobalTransaction needs a coordinator: set cohort.server.url (and"
                + " cohort.server.token), or add cohort-embedded and cohort-store-jdbc to run one"
                + " in this service");
      }
      d =
          new GlobalTransactionInterceptor(
              c, transactions.getObject(), metrics.getIfAvailable(() -> TransactionMetrics.NONE));
      delegate = d;
    }
    return d.invoke(invocation);
  }
}
