package dev.cohort.xa.internal;

import dev.cohort.api.GlobalStatus;
import dev.cohort.coordinator.spi.BranchRecord;
import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.coordinator.spi.StoredTransaction;
import dev.cohort.xa.XaHooks;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import javax.sql.XAConnection;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes this node's in-doubt branches: asks each resource for its prepared Xids ({@code XA
 * RECOVER} on MariaDB, {@code pg_prepared_xacts} on PostgreSQL), commits those whose transaction
 * the log holds as COMMITTING, rolls back the others (presumed abort), and leaves alone Xids of
 * other managers or nodes. Then a COMMITTING record none of whose resources still holds a branch is
 * marked COMMITTED; one that met a heuristic outcome is marked FAILED with the details.
 */
public final class Recovery {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);
  private static final int SCAN_LIMIT = 10_000;

  /** A resource to scan: its pool's name and a way to open a connection outside any pool. */
  public record Source(String name, ConnectionOpener opener) {}

  /** Opens a physical XA connection. */
  @FunctionalInterface
  public interface ConnectionOpener {
    XAConnection open() throws SQLException;
  }

  /** Counts and details of one run. */
  public record Result(
      int committed,
      int rolledBack,
      int foreign,
      int completed,
      List<String> failed,
      List<String> unresolved) {}

  private final DecisionLog log;
  private final String node;
  private final XaHooks hooks;
  private final Predicate<String> inProgress;
  private int committed;
  private int rolledBack;
  private int foreign;
  private final Map<String, List<String>> heuristics = new HashMap<>();
  private final Set<String> unresolvedGids = new HashSet<>();
  private final List<String> unresolved = new ArrayList<>();
  private final Set<String> scanned = new HashSet<>();

  /**
   * @param inProgress gids of transactions this process is still running: their prepared branches
   *     and COMMITTING records are theirs to finish, not recovery's
   */
  public Recovery(DecisionLog log, String node, XaHooks hooks, Predicate<String> inProgress) {
    this.log = log;
    this.node = node;
    this.hooks = hooks;
    this.inProgress = inProgress;
  }

  public Result run(List<Source> sources) {
    for (Source source : sources) {
      scan(source);
    }
    int completed = 0;
    List<String> failed = new ArrayList<>();
    for (StoredTransaction t : log.committing(SCAN_LIMIT)) {
      GlobalRecord g = t.global();
      String gid = g.gid().value();
      if (inProgress.test(gid)) {
        continue;
      }
      List<String> details = heuristics.get(gid);
      if (details != null) {
        String reason = "heuristic outcome found by recovery: " + String.join("; ", details);
        log.failed(g, reason).join();
        failed.add(gid + ": " + reason);
      } else if (!unresolvedGids.contains(gid) && allScanned(t.branches())) {
        log.committed(g).join();
        completed++;
      }
    }
    for (Map.Entry<String, List<String>> e : heuristics.entrySet()) {
      if (log.load(e.getKey()).isEmpty()) {
        String reason = "heuristic outcome found by recovery: " + String.join("; ", e.getValue());
        log.failedWithoutDecision(e.getKey(), reason).join();
        failed.add(e.getKey() + ": " + reason);
      }
    }
    Result result = new Result(committed, rolledBack, foreign, completed, failed, unresolved);
    LOG.info("XA recovery of node {}: {}", node, result);
    return result;
  }

  private boolean allScanned(List<BranchRecord> branches) {
    for (BranchRecord b : branches) {
      if (!scanned.contains(b.participant())) {
        return false;
      }
    }
    return true;
  }

  private void scan(Source source) {
    XAConnection connection;
    try {
      connection = source.opener().open();
    } catch (SQLException e) {
      unresolved.add("resource '" + source.name() + "' did not answer: " + e.getMessage());
      return;
    }
    try {
      XAResource resource = connection.getXAResource();
      Xid[] xids = resource.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
      for (Xid xid : xids) {
        String gid = XaXid.gidIfOurs(xid, node);
        if (gid == null) {
          foreign++;
          continue;
        }
        if (inProgress.test(gid)) {
          continue; // prepared by a transaction still running here, not in doubt
        }
        resolve(source.name(), resource, xid, gid);
      }
      scanned.add(source.name());
    } catch (SQLException e) {
      unresolved.add("resource '" + source.name() + "' failed: " + e.getMessage());
    } catch (XAException e) {
      unresolved.add(XaErrors.describe("recover", source.name(), null, e));
    } finally {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.debug("closing the recovery connection of {} failed", source.name(), e);
      }
    }
  }

  private void resolve(String name, XAResource resource, Xid xid, String gid) {
    Optional<StoredTransaction> logged = log.load(gid);
    GlobalStatus status = logged.map(t -> t.global().status()).orElse(null);
    if (status == GlobalStatus.FAILED || status == GlobalStatus.RESOLVED) {
      LOG.warn(
          "XA recovery leaves {} on {} to an operator: its transaction is {}",
          XaXid.describe(xid),
          name,
          status.code());
      return;
    }
    boolean commit = status == GlobalStatus.COMMITTING || status == GlobalStatus.COMMITTED;
    try {
      if (commit) {
        hooks.beforeCommit(name, xid);
        resource.commit(xid, false);
        committed++;
      } else {
        resource.rollback(xid);
        rolledBack++;
      }
    } catch (XAException e) {
      String message = XaErrors.describe(commit ? "commit" : "rollback", name, xid, e);
      boolean agrees =
          commit
              ? e.errorCode == XAException.XA_HEURCOM
              : e.errorCode == XAException.XA_HEURRB || XaErrors.isRollback(e.errorCode);
      if (e.errorCode == XAException.XAER_NOTA || agrees) {
        forgetIfHeuristic(resource, xid, e);
        return; // finished meanwhile, the way the decision says
      }
      if (XaErrors.isHeuristic(e.errorCode) || XaErrors.isRollback(e.errorCode)) {
        heuristics.computeIfAbsent(gid, k -> new ArrayList<>()).add(message);
        forgetIfHeuristic(resource, xid, e);
      } else {
        unresolvedGids.add(gid);
        unresolved.add(message);
      }
    }
  }

  private static void forgetIfHeuristic(XAResource resource, Xid xid, XAException e) {
    if (XaErrors.isHeuristic(e.errorCode)) {
      try {
        resource.forget(xid);
      } catch (XAException ignored) {
        // The resource may not keep heuristic records (PostgreSQL, MariaDB do not).
      }
    }
  }
}
