package dev.cohort.examples.shop.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.participant.Barrier;
import dev.cohort.participant.BarrierResult;
import dev.cohort.participant.BranchSettler;
import dev.cohort.participant.HeldBranch;
import dev.cohort.protocol.Operation;
import dev.cohort.spring.BranchCall;
import dev.cohort.spring.BranchHandler;
import dev.cohort.spring.TccEndpoint;
import java.sql.Connection;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Settles a held branch of a {@link TccEndpoint} the way the starter serves the coordinator's call:
 * the endpoint's own confirm or cancel handler, run with the barrier row (same gid, branch and
 * operation) in one new Spring transaction. So the coordinator's own confirm arriving later is a
 * duplicate the barrier skips, and the other way round.
 */
public final class EndpointSettler<T> implements BranchSettler {
  private final TccEndpoint<T> endpoint;
  private final Barrier barrier;
  private final DataSource dataSource;
  private final TransactionTemplate transactions;
  private final ObjectMapper json;

  public EndpointSettler(
      TccEndpoint<T> endpoint,
      Barrier barrier,
      DataSource dataSource,
      PlatformTransactionManager manager,
      ObjectMapper json) {
    this.endpoint = endpoint;
    this.barrier = barrier;
    this.dataSource = dataSource;
    this.transactions = new TransactionTemplate(manager);
    transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    this.json = json;
  }

  @Override
  public BarrierResult confirm(HeldBranch branch) throws Exception {
    return run(branch, Operation.CONFIRM, endpoint.onConfirm());
  }

  @Override
  public BarrierResult cancel(HeldBranch branch) throws Exception {
    return run(branch, Operation.CANCEL, endpoint.onCancel());
  }

  private BarrierResult run(HeldBranch branch, Operation op, BranchHandler<T> handler)
      throws Exception {
    T payload = json.readValue(branch.payload(), endpoint.payloadType());
    try {
      return transactions.execute(status -> {
        Connection c = DataSourceUtils.getConnection(dataSource);
        try {
          return barrier.runIn(
              c,
              branch.gid(),
              branch.branchId(),
              op,
              conn ->
                  handler.handle(payload, new BranchCall(branch.gid(), branch.branchId(), op, c)));
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(e.getMessage(), e);
        }
      });
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
