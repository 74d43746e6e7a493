package dev.cohort.messagemode;

import dev.cohort.api.BranchContext;

/**
 * The service that started a reliable message, asked whether its local transaction committed when
 * the submit never arrived. Answer from the service's own database (the outbox or the barrier), and
 * make the answer final: "rolled back" must also keep the transaction from committing later (the
 * outbox's {@code checkBack} closes the message id for that). Throw when the service cannot tell
 * now; the coordinator asks again later.
 *
 * <p>In-process: {@code source -> outbox.checkBack(source.gid().value()) == COMMITTED}. Over HTTP:
 * {@link HttpMessageParticipant}.
 */
@FunctionalInterface
public interface LocalTransactionCheck {
  /**
   * True: the local transaction committed, deliver the message. False: it never will; drop it.
   *
   * @param source the transaction's first branch: its gid (the message id), branch id and payload
   */
  boolean committed(BranchContext source) throws Exception;
}
