package dev.cohort.spring.internal;

import dev.cohort.participant.Barrier;
import dev.cohort.participant.BarrierConflictException;
import dev.cohort.participant.BarrierResult;
import dev.cohort.participant.BarrierRunner;
import dev.cohort.participant.BarrierWork;
import dev.cohort.protocol.Operation;
import java.sql.Connection;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs the barrier inside a Spring transaction on the service's own {@code DataSource}: the barrier
 * row goes through the transaction's connection ({@link Barrier#runIn}), so business code using
 * {@code JdbcTemplate} or JPA on the same {@code DataSource} commits with it, or not at all. A
 * transaction the database aborted for a concurrent one is run again, like {@link Barrier#run}.
 */
final class SpringBarrierRunner implements BarrierRunner {
  private final DataSource dataSource;
  private final TransactionTemplate transactions;
  private final int maxAttempts;

  SpringBarrierRunner(DataSource dataSource, PlatformTransactionManager manager, int maxAttempts) {
    this.dataSource = dataSource;
    this.transactions = new TransactionTemplate(manager);
    // A participant call is its own unit of work, never part of a caller's transaction.
    transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    this.maxAttempts = maxAttempts;
  }

  @Override
  public BarrierResult run(
      Barrier barrier, String gid, String branchId, Operation op, BarrierWork<Exception> work)
      throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return transactions.execute(status -> {
          Connection c = DataSourceUtils.getConnection(dataSource);
          try {
            return barrier.runIn(c, gid, branchId, op, work);
          } catch (RuntimeException | Error e) {
            throw e;
          } catch (Exception e) {
            throw new Checked(e);
          }
        });
      } catch (Checked e) {
        throw e.checked;
      } catch (BarrierConflictException e) {
        if (attempt >= maxAttempts) {
          throw e;
        }
      }
    }
  }

  /** Carries a checked exception through the transaction template, which then rolls back. */
  private static final class Checked extends RuntimeException {
    private final Exception checked;

    Checked(Exception checked) {
      super(checked.getMessage(), checked, false, false);
      this.checked = checked;
    }
  }
}
