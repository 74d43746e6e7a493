package dev.cohort.spring.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.participant.Barrier;
import dev.cohort.participant.BarrierResult;
import dev.cohort.participant.BarrierRunner;
import dev.cohort.participant.BranchRequest;
import dev.cohort.participant.BranchSettler;
import dev.cohort.participant.BranchWork;
import dev.cohort.participant.HeldBranch;
import dev.cohort.participant.ParticipantEndpoint;
import dev.cohort.protocol.CallSignature;
import dev.cohort.protocol.Operation;
import dev.cohort.spring.BranchCall;
import dev.cohort.spring.BranchHandler;
import dev.cohort.spring.CohortEndpoint;
import dev.cohort.spring.SagaEndpoint;
import dev.cohort.spring.TccEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the typed endpoint beans into cohort-participant's {@link ParticipantEndpoint}s. */
final class EndpointFactory {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointFactory.class);

  private final Barrier barrier;
  private final CallSignature verifier;
  private final BarrierRunner runner;
  private final ObjectMapper json;

  /**
   * @param verifier null accepts unsigned calls ({@code cohort.participant.unsigned=true})
   */
  EndpointFactory(
      Barrier barrier, CallSignature verifier, BarrierRunner runner, ObjectMapper json) {
    this.barrier = barrier;
    this.verifier = verifier;
    this.runner = runner;
    this.json = json;
  }

  ParticipantEndpoint create(CohortEndpoint endpoint) {
    return switch (endpoint) {
      case TccEndpoint<?> tcc -> tcc(tcc);
      case SagaEndpoint<?> saga -> saga(saga);
    };
  }

  private <T> ParticipantEndpoint tcc(TccEndpoint<T> e) {
    ParticipantEndpoint.TccBuilder b =
        verifier == null
            ? ParticipantEndpoint.unsignedTcc(barrier)
            : ParticipantEndpoint.tcc(barrier, verifier);
    return b.onTry(work(e.payloadType(), e.onTry()))
        .onConfirm(work(e.payloadType(), e.onConfirm()))
        .onCancel(work(e.payloadType(), e.onCancel()))
        .onError(this::logError)
        .runner(runner)
        .build();
  }

  private <T> ParticipantEndpoint saga(SagaEndpoint<T> e) {
    ParticipantEndpoint.SagaBuilder b =
        verifier == null
            ? ParticipantEndpoint.unsignedSaga(barrier)
            : ParticipantEndpoint.saga(barrier, verifier);
    return b.onAction(work(e.payloadType(), e.onAction()))
        .onCompensate(work(e.payloadType(), e.onCompensate()))
        .onError(this::logError)
        .runner(runner)
        .build();
  }

  /**
   * Settles held branches of {@code e} as the coordinator's own confirm and cancel calls would: the
   * same handler, payload type, barrier row and Spring transaction, so whichever of the two arrives
   * second is a skipped duplicate.
   */
  <T> BranchSettler settler(TccEndpoint<T> e) {
    return new BranchSettler() {
      @Override
      public BarrierResult confirm(HeldBranch b) throws Exception {
        return settle(e, b, Operation.CONFIRM, e.onConfirm());
      }

      @Override
      public BarrierResult cancel(HeldBranch b) throws Exception {
        return settle(e, b, Operation.CANCEL, e.onCancel());
      }
    };
  }

  private <T> BarrierResult settle(
      TccEndpoint<T> e, HeldBranch b, Operation op, BranchHandler<T> handler) throws Exception {
    T payload = decode(e.payloadType(), b.payload());
    return runner.run(
        barrier,
        b.gid(),
        b.branchId(),
        op,
        c -> handler.handle(payload, new BranchCall(b.gid(), b.branchId(), op, c)));
  }

  private <T> BranchWork work(Class<T> type, BranchHandler<T> handler) {
    return (BranchRequest r) ->
        handler.handle(
            decode(type, r.body()), new BranchCall(r.gid(), r.branchId(), r.op(), r.connection()));
  }

  private <T> T decode(Class<T> type, String body) throws java.io.IOException {
    if (type == String.class) {
      return type.cast(body);
    }
    return json.readValue(body, type);
  }

  private void logError(String gid, String branchId, Operation op, Exception e) {
    LOG.warn("participant call {} of {}/{} failed", op.code(), gid, branchId, e);
  }
}
