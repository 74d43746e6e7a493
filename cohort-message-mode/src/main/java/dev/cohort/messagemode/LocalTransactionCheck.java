package dev.cohort.messagemode;

/**
 * The service that started a reliable message, asked whether its local transaction committed when
 * the submit never arrived. Answer from the service's own database (the outbox or the barrier), and
 * make the answer final: "rolled back" must also keep the transaction from committing later (the
 * outbox's {@code checkBack} closes the message id for that). Throw when the service cannot tell
 * now; the coordinator asks again later.
 */
@FunctionalInterface
public interface LocalTransactionCheck {
  /** True: the local transaction committed, deliver the message. False: it never will; drop it. */
  boolean committed(String gid) throws Exception;
}
