package dev.cohort.xa;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * An XA resource whose answers a test scripts: the outcomes real databases give only under rare
 * faults (heuristic decisions, read-only votes, a rollback during one-phase commit) made certain,
 * so that every status transition is exercised. The real-database behaviour is proved by the ITs.
 */
final class ScriptedResource implements XAResource {
  final List<String> calls = new ArrayList<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private boolean readOnly;

  /** {@code operation} ("start", "end", "prepare", "commit", "rollback") throws {@code code}. */
  ScriptedResource failing(String operation, int code) {
    failures.put(operation, code);
    return this;
  }

  ScriptedResource readOnly() {
    readOnly = true;
    return this;
  }

  private void call(String operation, String detail) throws XAException {
    calls.add(detail == null ? operation : operation + ":" + detail);
    Integer code = failures.get(operation);
    if (code != null) {
      throw new XAException(code);
    }
  }

  @Override
  public void start(Xid xid, int flags) throws XAException {
    call("start", flags == TMJOIN ? "join" : flags == TMRESUME ? "resume" : "new");
  }

  @Override
  public void end(Xid xid, int flags) throws XAException {
    call("end", flags == TMSUSPEND ? "suspend" : flags == TMFAIL ? "fail" : "success");
  }

  @Override
  public int prepare(Xid xid) throws XAException {
    call("prepare", null);
    return readOnly ? XA_RDONLY : XA_OK;
  }

  @Override
  public void commit(Xid xid, boolean onePhase) throws XAException {
    call("commit", onePhase ? "1pc" : "2pc");
  }

  @Override
  public void rollback(Xid xid) throws XAException {
    call("rollback", null);
  }

  @Override
  public void forget(Xid xid) {
    calls.add("forget");
  }

  @Override
  public Xid[] recover(int flag) {
    return new Xid[0];
  }

  @Override
  public boolean isSameRM(XAResource other) {
    return other == this;
  }

  @Override
  public int getTransactionTimeout() {
    return 0;
  }

  @Override
  public boolean setTransactionTimeout(int seconds) {
    return false;
  }
}
