package dev.cohort.xa.internal;

import dev.cohort.coordinator.spi.GlobalRecord;
import dev.cohort.xa.XaHooks;
import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.HeuristicRollbackException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Synchronization;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transaction: its branches, synchronizations and resources, and two-phase commit over them.
 * One thread drives a transaction at a time (the JTA thread model), so the methods are synchronized
 * only to make a timeout's rollback-only mark visible.
 */
public final class XaTx implements Transaction {
  private static final Logger LOG = LoggerFactory.getLogger(XaTx.class);

  private final String gid;
  private final DecisionLog log;
  private final Clock clock;
  private final XaHooks hooks;
  private final BranchCalls calls;
  private final Instant deadline;
  private final Duration timeout;
  private final List<Branch> branches = new ArrayList<>();
  private final List<Synchronization> synchronizations = new ArrayList<>();
  private final List<Synchronization> interposed = new ArrayList<>();
  private final Map<Object, Object> resources = new HashMap<>();
  private XaTxStatus status = XaTxStatus.ACTIVE;
  private String rollbackReason;

  /**
   * {@code branchCalls} runs the prepare and commit calls of the second and later branches ({@code
   * Runnable::run} for one after the other).
   */
  public XaTx(
      String gid,
      DecisionLog log,
      Clock clock,
      XaHooks hooks,
      Duration timeout,
      BranchCalls calls) {
    this.gid = gid;
    this.log = log;
    this.clock = clock;
    this.hooks = hooks;
    this.calls = calls;
    this.timeout = timeout;
    this.deadline = clock.instant().plus(timeout);
    hooks.moved("tx", "new", XaTxStatus.ACTIVE.code());
  }

  public String gid() {
    return gid;
  }

  /** The one place the status changes. */
  private void moveTo(XaTxStatus to) {
    XaTxStatus from = status;
    status = from.transition(gid, to);
    hooks.moved("tx", from.code(), to.code());
  }

  public synchronized XaTxStatus status() {
    checkDeadline();
    return status;
  }

  @Override
  public synchronized int getStatus() {
    return status().jtaStatus();
  }

  private void checkDeadline() {
    if (status == XaTxStatus.ACTIVE && !clock.instant().isBefore(deadline)) {
      markRollbackOnly("it timed out after " + timeout.toSeconds() + " s");
    }
  }

  private void markRollbackOnly(String reason) {
    rollbackReason = reason;
    moveTo(XaTxStatus.MARKED_ROLLBACK);
  }

  @Override
  public synchronized void setRollbackOnly() {
    checkDeadline();
    switch (status) {
      case ACTIVE -> markRollbackOnly("setRollbackOnly() was called");
      case MARKED_ROLLBACK -> {}
      default -> throw notActive("setRollbackOnly");
    }
  }

  public synchronized boolean isRollbackOnly() {
    return status() == XaTxStatus.MARKED_ROLLBACK;
  }

  // --- enlistment ---

  @Override
  public synchronized boolean enlistResource(XAResource resource)
      throws RollbackException, SystemException {
    if (resource == null) {
      throw new IllegalArgumentException(
          "enlistResource(null) in XA transaction " + gid + ": pass the connection's XAResource");
    }
    requireActive("enlistResource");
    Branch known = find(resource);
    try {
      if (known == null) {
        int number = branches.size() + 1;
        Branch b =
            new Branch(
                NamedResource.nameOf(resource), resource, XaXid.of(gid, number), number, hooks);
        resource.start(b.xid, XAResource.TMNOFLAGS);
        branches.add(b);
      } else if (known.state() == BranchState.SUSPENDED) {
        known.xaResource.start(known.xid, XAResource.TMRESUME);
        known.moveTo(BranchState.ACTIVE);
      } else if (known.state() == BranchState.ENDED) {
        known.xaResource.start(known.xid, XAResource.TMJOIN);
        known.moveTo(BranchState.ACTIVE);
      }
      return true;
    } catch (XAException e) {
      String name = known == null ? NamedResource.nameOf(resource) : known.resource;
      throw systemException(
          XaErrors.describe(
              "start", name, known == null ? XaXid.of(gid, branches.size() + 1) : known.xid, e),
          e);
    }
  }

  @Override
  public synchronized boolean delistResource(XAResource resource, int flag) throws SystemException {
    if (status != XaTxStatus.ACTIVE && status != XaTxStatus.MARKED_ROLLBACK) {
      throw notActive("delistResource");
    }
    Branch b = find(resource);
    if (b == null || (b.state() != BranchState.ACTIVE && b.state() != BranchState.SUSPENDED)) {
      throw new IllegalStateException(
          "delistResource: " + NamedResource.nameOf(resource) + " is not enlisted in " + gid);
    }
    if (flag != XAResource.TMSUCCESS && flag != XAResource.TMFAIL && flag != XAResource.TMSUSPEND) {
      throw new IllegalArgumentException(
          "delistResource flag "
              + flag
              + " is none of TMSUCCESS ("
              + XAResource.TMSUCCESS
              + "), TMSUSPEND ("
              + XAResource.TMSUSPEND
              + "), TMFAIL ("
              + XAResource.TMFAIL
              + ")");
    }
    try {
      b.xaResource.end(b.xid, flag);
      b.moveTo(flag == XAResource.TMSUSPEND ? BranchState.SUSPENDED : BranchState.ENDED);
    } catch (XAException e) {
      markRollbackIfActive("end failed on " + b.resource);
      throw systemException(XaErrors.describe("end", b.resource, b.xid, e), e);
    }
    if (flag == XAResource.TMFAIL) {
      markRollbackIfActive("resource " + b.resource + " was delisted with TMFAIL");
    }
    return true;
  }

  private Branch find(XAResource resource) {
    for (Branch b : branches) {
      if (b.holds(resource)) {
        return b;
      }
    }
    return null;
  }

  // --- synchronizations and resources (TransactionSynchronizationRegistry) ---

  @Override
  public synchronized void registerSynchronization(Synchronization sync) throws RollbackException {
    requireActive("registerSynchronization");
    synchronizations.add(sync);
  }

  public synchronized void registerInterposedSynchronization(Synchronization sync) {
    checkDeadline();
    if (status != XaTxStatus.ACTIVE) {
      throw notActive("registerInterposedSynchronization");
    }
    interposed.add(sync);
  }

  public synchronized void putResource(Object key, Object value) {
    if (key == null) {
      throw new IllegalArgumentException("putResource: the key must not be null");
    }
    resources.put(key, value);
  }

  public synchronized Object getResource(Object key) {
    if (key == null) {
      throw new IllegalArgumentException("getResource: the key must not be null");
    }
    return resources.get(key);
  }

  // --- completion ---

  @Override
  public synchronized void commit()
      throws RollbackException,
          HeuristicMixedException,
          HeuristicRollbackException,
          SystemException {
    checkDeadline();
    if (status == XaTxStatus.ACTIVE) {
      beforeCompletion();
    }
    if (status == XaTxStatus.MARKED_ROLLBACK) {
      String reason = rollbackReason;
      rollbackAll();
      throw rollbackException("XA transaction " + gid + " was rolled back: " + reason, null);
    }
    if (status != XaTxStatus.ACTIVE) {
      throw notActive("commit");
    }
    String endFailure = endAll();
    if (endFailure != null) {
      markRollbackOnly(endFailure);
      rollbackAll();
      throw rollbackException("XA transaction " + gid + " was rolled back: " + endFailure, null);
    }
    if (branches.size() <= 1) {
      onePhase();
    } else {
      twoPhase();
    }
  }

  private void beforeCompletion() {
    // A synchronization may register another; index loops see it.
    try {
      for (int i = 0; i < synchronizations.size(); i++) {
        synchronizations.get(i).beforeCompletion();
      }
      for (int i = 0; i < interposed.size(); i++) {
        interposed.get(i).beforeCompletion();
      }
    } catch (RuntimeException e) {
      LOG.warn("beforeCompletion of XA transaction {} failed; rolling back", gid, e);
      markRollbackOnly("a synchronization's beforeCompletion failed: " + e);
    }
  }

  /** Ends every branch still associated; returns why one failed, or null. */
  private String endAll() {
    for (Branch b : branches) {
      if (b.state() == BranchState.ACTIVE || b.state() == BranchState.SUSPENDED) {
        try {
          b.xaResource.end(b.xid, XAResource.TMSUCCESS);
          b.moveTo(BranchState.ENDED);
        } catch (XAException e) {
          b.moveTo(BranchState.ENDED);
          return XaErrors.describe("end", b.resource, b.xid, e);
        }
      }
    }
    return null;
  }

  private void onePhase() throws RollbackException, HeuristicMixedException {
    moveTo(XaTxStatus.COMMITTING);
    if (branches.isEmpty()) {
      finish(XaTxStatus.COMMITTED);
      return;
    }
    Branch b = branches.get(0);
    try {
      b.xaResource.commit(b.xid, true);
      b.moveTo(BranchState.COMMITTED);
      finish(XaTxStatus.COMMITTED);
    } catch (XAException e) {
      String message = XaErrors.describe("one-phase commit", b.resource, b.xid, e);
      if (XaErrors.isRollback(e.errorCode) || e.errorCode == XAException.XA_HEURRB) {
        b.moveTo(BranchState.ROLLED_BACK);
        finish(XaTxStatus.ROLLED_BACK);
        throw rollbackException("XA transaction " + gid + " was rolled back: " + message, e);
      }
      if (e.errorCode == XAException.XA_HEURCOM) {
        b.moveTo(BranchState.COMMITTED);
        forget(b);
        finish(XaTxStatus.COMMITTED);
        return;
      }
      // The outcome is unknown (connection lost during the commit): say so, in the log too.
      b.moveTo(BranchState.FAILED);
      surfaceWithoutDecision(message);
      finish(XaTxStatus.HEURISTIC);
      throw heuristicMixed("the outcome of XA transaction " + gid + " is unknown: " + message, e);
    }
  }

  private void twoPhase()
      throws RollbackException,
          HeuristicMixedException,
          HeuristicRollbackException,
          SystemException {
    moveTo(XaTxStatus.PREPARING);
    List<BranchCalls.Outcome> votes =
        calls.each(
            branches,
            b -> {
              hooks.beforePrepare(b.resource, b.xid);
              return b.xaResource.prepare(b.xid);
            });
    List<Branch> prepared = new ArrayList<>();
    String no = null;
    XAException noCause = null;
    for (BranchCalls.Outcome vote : votes) {
      Branch b = vote.branch();
      if (vote.crash() != null) {
        throw vote.crash(); // as if the manager died here: recovery finishes what was prepared
      }
      XAException e = vote.error();
      if (e == null) {
        if (vote.value() == XAResource.XA_RDONLY) {
          b.moveTo(BranchState.READ_ONLY);
        } else {
          b.moveTo(BranchState.PREPARED);
          prepared.add(b);
        }
        continue;
      }
      if (XaErrors.isRollback(e.errorCode) || e.errorCode == XAException.XA_RDONLY) {
        b.moveTo(BranchState.ROLLED_BACK);
      }
      if (no == null) {
        no = XaErrors.describe("prepare", b.resource, b.xid, e);
        noCause = e;
      }
    }
    if (no != null) {
      rollbackAll();
      throw rollbackException(
          "XA transaction " + gid + " was rolled back because a resource voted no: " + no, noCause);
    }
    if (prepared.isEmpty()) {
      finish(XaTxStatus.COMMITTED); // every vote read-only: nothing to log, nothing to commit
      return;
    }
    GlobalRecord decision;
    try {
      decision = log.commitDecided(gid, prepared).join();
    } catch (CompletionException | IllegalStateException e) {
      // Not durable: presumed abort makes rollback the only safe outcome.
      rollbackAll();
      throw rollbackException(
          "XA transaction "
              + gid
              + " was rolled back: its commit decision could not be logged ("
              + rootMessage(e)
              + ")",
          e);
    }
    hooks.afterDecision(gid);
    moveTo(XaTxStatus.COMMITTING);
    phaseTwo(prepared, decision);
  }

  private void phaseTwo(List<Branch> prepared, GlobalRecord decision)
      throws HeuristicMixedException, HeuristicRollbackException {
    List<String> heuristics = new ArrayList<>();
    List<String> unreachable = new ArrayList<>();
    int heuristicRollbacks = 0;
    List<BranchCalls.Outcome> answers =
        calls.each(
            prepared,
            b -> {
              hooks.beforeCommit(b.resource, b.xid);
              b.xaResource.commit(b.xid, false);
              return XAResource.XA_OK;
            });
    for (BranchCalls.Outcome answer : answers) {
      Branch b = answer.branch();
      if (answer.crash() != null) {
        throw answer.crash(); // as if the manager died here: recovery commits from the log
      }
      XAException e = answer.error();
      if (e == null) {
        b.moveTo(BranchState.COMMITTED);
      } else {
        String message = XaErrors.describe("commit", b.resource, b.xid, e);
        if (e.errorCode == XAException.XA_HEURCOM) {
          b.moveTo(BranchState.COMMITTED);
          forget(b);
        } else if (XaErrors.isHeuristic(e.errorCode) || XaErrors.isRollback(e.errorCode)) {
          b.moveTo(BranchState.FAILED);
          heuristics.add(message);
          if (e.errorCode == XAException.XA_HEURRB || XaErrors.isRollback(e.errorCode)) {
            heuristicRollbacks++;
          }
          forget(b);
        } else {
          b.moveTo(BranchState.FAILED);
          unreachable.add(message);
        }
      }
    }
    if (!heuristics.isEmpty()) {
      String details =
          "heuristic outcome after the commit decision: " + String.join("; ", heuristics);
      background(log.failed(decision, details));
      finish(XaTxStatus.HEURISTIC);
      if (heuristicRollbacks == prepared.size()) {
        throw new HeuristicRollbackException("XA transaction " + gid + ": " + details);
      }
      throw heuristicMixed("XA transaction " + gid + ": " + details, null);
    }
    if (!unreachable.isEmpty()) {
      LOG.warn(
          "XA transaction {} is committed (the decision is logged) but phase two did not reach"
              + " every resource; recovery will commit: {}",
          gid,
          String.join("; ", unreachable));
      finish(XaTxStatus.IN_DOUBT);
      return;
    }
    // Rides with the next decision's flush: if it is lost, recovery finds no in-doubt branch and
    // completes it.
    log.committedLater(decision);
    finish(XaTxStatus.COMMITTED);
  }

  @Override
  public synchronized void rollback() throws SystemException {
    checkDeadline();
    if (status != XaTxStatus.ACTIVE && status != XaTxStatus.MARKED_ROLLBACK) {
      throw notActive("rollback");
    }
    endAll();
    List<String> heuristics = rollbackAll();
    if (!heuristics.isEmpty()) {
      throw systemException(
          "rollback of XA transaction "
              + gid
              + " met a heuristic outcome: "
              + String.join("; ", heuristics),
          null);
    }
  }

  /** Rolls back every branch not finished; returns heuristic outcomes met (also logged). */
  private List<String> rollbackAll() {
    if (status != XaTxStatus.ROLLING_BACK) {
      moveTo(XaTxStatus.ROLLING_BACK);
    }
    endAll();
    List<String> heuristics = new ArrayList<>();
    for (Branch b : branches) {
      BranchState s = b.state();
      if (s == BranchState.READ_ONLY || s == BranchState.ROLLED_BACK) {
        continue;
      }
      try {
        b.xaResource.rollback(b.xid);
        b.moveTo(BranchState.ROLLED_BACK);
      } catch (XAException e) {
        if (e.errorCode == XAException.XAER_NOTA || XaErrors.isRollback(e.errorCode)) {
          b.moveTo(BranchState.ROLLED_BACK); // the resource already rolled it back
        } else if (XaErrors.isHeuristic(e.errorCode) && e.errorCode != XAException.XA_HEURRB) {
          b.moveTo(BranchState.FAILED);
          heuristics.add(XaErrors.describe("rollback", b.resource, b.xid, e));
          forget(b);
        } else if (e.errorCode == XAException.XA_HEURRB) {
          b.moveTo(BranchState.ROLLED_BACK);
          forget(b);
        } else {
          // Unreachable: a prepared branch stays prepared until recovery rolls it back (no
          // decision is logged, so recovery presumes abort); an unprepared one dies with its
          // connection.
          b.moveTo(BranchState.FAILED);
          LOG.warn(
              "{}; recovery will roll it back",
              XaErrors.describe("rollback", b.resource, b.xid, e));
        }
      }
    }
    if (!heuristics.isEmpty()) {
      surfaceWithoutDecision("heuristic outcome of a rollback: " + String.join("; ", heuristics));
      finish(XaTxStatus.HEURISTIC);
    } else {
      finish(XaTxStatus.ROLLED_BACK);
    }
    return heuristics;
  }

  private void finish(XaTxStatus end) {
    moveTo(end);
    int jta = end.jtaStatus();
    for (int i = interposed.size() - 1; i >= 0; i--) {
      afterCompletion(interposed.get(i), jta);
    }
    for (Synchronization s : synchronizations) {
      afterCompletion(s, jta);
    }
  }

  private void afterCompletion(Synchronization s, int jtaStatus) {
    try {
      s.afterCompletion(jtaStatus);
    } catch (RuntimeException e) {
      LOG.warn("afterCompletion of XA transaction {} failed; ignored", gid, e);
    }
  }

  private void forget(Branch b) {
    try {
      b.xaResource.forget(b.xid);
    } catch (XAException e) {
      LOG.warn("{}", XaErrors.describe("forget", b.resource, b.xid, e));
    }
  }

  private void surfaceWithoutDecision(String details) {
    background(log.failedWithoutDecision(gid, details));
  }

  /** A log write nobody waits for; a failure is logged (recovery repairs what it left). */
  private void background(CompletableFuture<?> write) {
    var unused = write.whenComplete(this::reportWrite);
  }

  private void reportWrite(Object result, Throwable failure) {
    if (failure != null) {
      LOG.error("XA transaction {}: a write to the log failed", gid, failure);
    }
  }

  private void markRollbackIfActive(String reason) {
    if (status == XaTxStatus.ACTIVE) {
      markRollbackOnly(reason);
    }
  }

  private void requireActive(String operation) throws RollbackException {
    checkDeadline();
    if (status == XaTxStatus.MARKED_ROLLBACK) {
      throw rollbackException(
          operation + ": XA transaction " + gid + " is marked rollback-only: " + rollbackReason,
          null);
    }
    if (status != XaTxStatus.ACTIVE) {
      throw notActive(operation);
    }
  }

  private IllegalStateException notActive(String operation) {
    return new IllegalStateException(
        operation + ": XA transaction " + gid + " is " + status.code() + ", not active");
  }

  private static RollbackException rollbackException(String message, Throwable cause) {
    RollbackException e = new RollbackException(message);
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }

  private static HeuristicMixedException heuristicMixed(String message, Throwable cause) {
    HeuristicMixedException e = new HeuristicMixedException(message);
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }

  private static SystemException systemException(String message, Throwable cause) {
    SystemException e = new SystemException(message);
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.toString();
  }

  @Override
  public String toString() {
    return "XA transaction " + gid + " (" + status.code() + ")";
  }
}
