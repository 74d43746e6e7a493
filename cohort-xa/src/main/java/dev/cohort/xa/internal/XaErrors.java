package dev.cohort.xa.internal;

import javax.transaction.xa.XAException;
import javax.transaction.xa.Xid;

/** Turns an {@link XAException} into a message naming the resource, the Xid and the code. */
public final class XaErrors {
  private XaErrors() {}

  /** The symbolic name and meaning of an XA error code, e.g. {@code XAER_RMFAIL (-7, ...)}. */
  public static String code(int errorCode) {
    String name =
        switch (errorCode) {
          case XAException.XA_RBROLLBACK -> "XA_RBROLLBACK: rolled back for an unspecified reason";
          case XAException.XA_RBCOMMFAIL -> "XA_RBCOMMFAIL: rolled back, communication failed";
          case XAException.XA_RBDEADLOCK -> "XA_RBDEADLOCK: rolled back, deadlock detected";
          case XAException.XA_RBINTEGRITY -> "XA_RBINTEGRITY: rolled back, integrity violated";
          case XAException.XA_RBOTHER -> "XA_RBOTHER: rolled back for another reason";
          case XAException.XA_RBPROTO -> "XA_RBPROTO: rolled back, protocol error in the RM";
          case XAException.XA_RBTIMEOUT -> "XA_RBTIMEOUT: rolled back, the branch took too long";
          case XAException.XA_RBTRANSIENT -> "XA_RBTRANSIENT: rolled back, may be retried";
          case XAException.XA_NOMIGRATE -> "XA_NOMIGRATE: resumption must happen where suspended";
          case XAException.XA_HEURHAZ ->
              "XA_HEURHAZ: the branch may have been heuristically completed";
          case XAException.XA_HEURCOM -> "XA_HEURCOM: the branch was heuristically committed";
          case XAException.XA_HEURRB -> "XA_HEURRB: the branch was heuristically rolled back";
          case XAException.XA_HEURMIX ->
              "XA_HEURMIX: the branch was partly committed and partly rolled back";
          case XAException.XA_RETRY -> "XA_RETRY: the RM could not finish now; retry";
          case XAException.XA_RDONLY -> "XA_RDONLY: the branch was read-only and is finished";
          case XAException.XAER_ASYNC -> "XAER_ASYNC: an asynchronous operation is outstanding";
          case XAException.XAER_RMERR -> "XAER_RMERR: the resource manager reported an error";
          case XAException.XAER_NOTA -> "XAER_NOTA: the Xid is not known to the resource manager";
          case XAException.XAER_INVAL -> "XAER_INVAL: invalid arguments";
          case XAException.XAER_PROTO -> "XAER_PROTO: called in an improper context";
          case XAException.XAER_RMFAIL -> "XAER_RMFAIL: the resource manager is unavailable";
          case XAException.XAER_DUPID -> "XAER_DUPID: the Xid already exists";
          case XAException.XAER_OUTSIDE ->
              "XAER_OUTSIDE: the RM is doing work outside any transaction";
          default -> "unknown XA code";
        };
    int colon = name.indexOf(':');
    return colon < 0
        ? name + " " + errorCode
        : name.substring(0, colon) + " (" + errorCode + "," + name.substring(colon + 1) + ")";
  }

  /**
   * E.g. {@code prepare on resource 'orders-pg' failed for xid n1:0af3.../1: XAER_RMFAIL (-7, the
   * resource manager is unavailable)}, followed by the driver's own message when it has one.
   */
  public static String describe(String operation, String resource, Xid xid, XAException e) {
    StringBuilder message =
        new StringBuilder()
            .append(operation)
            .append(" on resource '")
            .append(resource)
            .append("' failed for xid ")
            .append(xid == null ? "(none)" : XaXid.describe(xid))
            .append(": ")
            .append(code(e.errorCode));
    String driver = e.getMessage();
    if (driver != null && !driver.isBlank()) {
      message.append("; the driver said: ").append(driver);
    } else if (e.getCause() != null && e.getCause().getMessage() != null) {
      message.append("; the driver said: ").append(e.getCause().getMessage());
    }
    return message.toString();
  }

  /** Whether the code says the branch rolled back (the XA_RB* range). */
  public static boolean isRollback(int errorCode) {
    return errorCode >= XAException.XA_RBBASE && errorCode <= XAException.XA_RBEND;
  }

  /** Whether the code is a heuristic outcome. */
  public static boolean isHeuristic(int errorCode) {
    return errorCode == XAException.XA_HEURHAZ
        || errorCode == XAException.XA_HEURCOM
        || errorCode == XAException.XA_HEURRB
        || errorCode == XAException.XA_HEURMIX;
  }
}
