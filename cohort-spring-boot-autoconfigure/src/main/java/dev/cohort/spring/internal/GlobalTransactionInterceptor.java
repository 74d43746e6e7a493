package dev.cohort.spring.internal;

import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.api.Outcome;
import dev.cohort.client.Cohort;
import dev.cohort.client.Transaction;
import dev.cohort.client.TransactionRolledBackException;
import dev.cohort.spring.GlobalTransaction;
import dev.cohort.spring.GlobalTransactions;
import java.lang.reflect.Method;
import java.time.Duration;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * {@link GlobalTransaction}: begins (or joins), binds the transaction to the thread, commits on
 * return and aborts on an exception.
 */
@SuppressWarnings("try") // scopes opened for their effect on this thread
final class GlobalTransactionInterceptor implements MethodInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(GlobalTransactionInterceptor.class);

  private final Cohort cohort;
  private final GlobalTransactions transactions;
  private final TransactionMetrics metrics;

  GlobalTransactionInterceptor(
      Cohort cohort, GlobalTransactions transactions, TransactionMetrics metrics) {
    this.cohort = cohort;
    this.transactions = transactions;
    this.metrics = metrics;
  }

  @Override
  public Object invoke(MethodInvocation invocation) throws Throwable {
    if (transactions.isOpen()) {
      return invocation.proceed();
    }
    GlobalTransaction spec = annotation(invocation);
    Mode mode = Mode.fromCode(spec.mode());
    long start = System.nanoTime();
    Duration timeout = spec.timeoutMillis() > 0 ? Duration.ofMillis(spec.timeoutMillis()) : null;
    Gid chosen = transactions.takeChosenGid().orElse(null);
    Transaction tx =
        chosen != null
            ? cohort.begin(mode, chosen, timeout)
            : timeout != null ? cohort.begin(mode, timeout) : cohort.begin(mode);
    Object result;
    try (GlobalTransactions.Binding b = transactions.bind(tx)) {
      result = invocation.proceed();
    } catch (Throwable t) {
      abort(tx, t);
      metrics.finished(mode, "aborted", System.nanoTime() - start);
      throw t;
    }
    Outcome outcome = tx.commit();
    metrics.finished(mode, outcome.status().code(), System.nanoTime() - start);
    if (outcome.status() == GlobalStatus.ROLLING_BACK
        || outcome.status() == GlobalStatus.ROLLED_BACK) {
      throw new TransactionRolledBackException(outcome);
    }
    return result;
  }

  private static void abort(Transaction tx, Throwable cause) {
    if (cause instanceof TransactionRolledBackException) {
      return; // the coordinator rolled it back already
    }
    try {
      tx.abort();
    } catch (RuntimeException e) {
      // The coordinator rolls an open transaction back at its timeout anyway.
      LOG.warn("could not abort {} after the method failed; its timeout will", tx.gid(), e);
      cause.addSuppressed(e);
    }
  }

  private static GlobalTransaction annotation(MethodInvocation invocation) {
    Method method = invocation.getMethod();
    Object target = invocation.getThis();
    Class<?> type = target == null ? method.getDeclaringClass() : AopUtils.getTargetClass(target);
    Method specific = AopUtils.getMostSpecificMethod(method, type);
    GlobalTransaction spec =
        AnnotatedElementUtils.findMergedAnnotation(specific, GlobalTransaction.class);
    if (spec == null) {
      spec = AnnotatedElementUtils.findMergedAnnotation(type, GlobalTransaction.class);
    }
    if (spec == null) {
      throw new IllegalStateException(
          "no @GlobalTransaction on " + method + " or its class; this interceptor should not run");
    }
    return spec;
  }
}
