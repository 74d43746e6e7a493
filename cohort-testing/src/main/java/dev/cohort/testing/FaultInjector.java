package dev.cohort.testing;

import com.sun.net.httpserver.HttpHandler;
import dev.cohort.api.BranchContext;
import dev.cohort.api.BranchId;
import dev.cohort.api.Gid;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.coordinator.SagaStep;
import dev.cohort.coordinator.TccParticipant;
import dev.cohort.participant.ParticipantCallHandler;
import dev.cohort.participant.ParticipantEndpoint;
import dev.cohort.protocol.CallSignature;
import dev.cohort.protocol.Operation;
import dev.cohort.testing.internal.ScriptedFault;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Puts faults between the coordinator and a participant: a script per {@link Operation} ({@link
 * #on}) of failures, delays, hangs, refusals, duplicates and tries delivered after their cancel,
 * and a record of every call ({@link #calls()}). Wraps in-process participants ({@link
 * #wrap(TccParticipant)}, {@link #wrap(SagaStep)}) and HTTP ones ({@link
 * #wrap(ParticipantEndpoint)}). Thread-safe.
 *
 * <pre>{@code
 * FaultInjector faults = new FaultInjector();
 * TestCoordinator env = TestCoordinator.builder().registerTcc("stock", faults.wrap(stock)).start();
 * faults.on(Operation.CONFIRM).failNext(3);
 * }</pre>
 */
public final class FaultInjector implements AutoCloseable {
  private final Map<Operation, OperationFaults> scripts = new EnumMap<>(Operation.class);
  private final List<RecordedCall> calls = new ArrayList<>();
  private final Map<HeldKey, Late> held = new HashMap<>();

  public FaultInjector() {
    for (Operation op : Operation.values()) {
      scripts.put(op, new OperationFaults(op));
    }
  }

  /** The script of {@code op}; add faults to it at any time, also while calls run. */
  public OperationFaults on(Operation op) {
    return scripts.get(Objects.requireNonNull(op, "op"));
  }

  /** Every call so far, in the order they ended. */
  public synchronized List<RecordedCall> calls() {
    return List.copyOf(calls);
  }

  /** The calls of {@code op} so far, in the order they ended. */
  public synchronized List<RecordedCall> calls(Operation op) {
    return calls.stream().filter(c -> c.op() == op).toList();
  }

  /** The faults recorded for {@code op}'s calls, in order: a compact thing to assert on. */
  public synchronized List<Fault> faults(Operation op) {
    return calls(op).stream().map(RecordedCall::fault).toList();
  }

  /** An in-process TCC participant whose calls go through this injector. */
  public TccParticipant wrap(TccParticipant participant) {
    Objects.requireNonNull(participant, "participant");
    return new TccParticipant() {
      @Override
      public void tryReserve(BranchContext c) throws Exception {
        inProcess(Operation.TRY, c, () -> participant.tryReserve(c));
      }

      @Override
      public void confirm(BranchContext c) throws Exception {
        inProcess(Operation.CONFIRM, c, () -> participant.confirm(c));
      }

      @Override
      public void cancel(BranchContext c) throws Exception {
        inProcess(Operation.CANCEL, c, () -> participant.cancel(c));
      }
    };
  }

  /** An in-process saga step whose calls go through this injector. */
  public SagaStep wrap(SagaStep step) {
    Objects.requireNonNull(step, "step");
    return new SagaStep() {
      @Override
      public void action(BranchContext c) throws Exception {
        inProcess(Operation.ACTION, c, () -> step.action(c));
      }

      @Override
      public void compensate(BranchContext c) throws Exception {
        inProcess(Operation.COMPENSATE, c, () -> step.compensate(c));
      }
    };
  }

  /**
   * An HTTP handler (for the JDK's {@code HttpServer}) serving {@code endpoint} through this
   * injector. A duplicated call reaches a signed endpoint with the same signature twice, which it
   * refuses as a replay; use {@link #wrap(ParticipantCallHandler, CallSignature)} to sign the copy
   * afresh, as the coordinator signs a redelivery.
   */
  public HttpHandler wrap(ParticipantEndpoint endpoint) {
    return wrap((ParticipantCallHandler) endpoint);
  }

  /**
   * An HTTP handler serving any participant call handler through this injector, e.g. a 2PC or 3PC
   * {@code PreparedEndpoint}.
   */
  public HttpHandler wrap(ParticipantCallHandler endpoint) {
    return new FaultyHttpHandler(this, Objects.requireNonNull(endpoint, "endpoint"), null);
  }

  /** {@link #wrap(ParticipantEndpoint)} that signs each duplicate with {@code signer}. */
  public HttpHandler wrap(ParticipantCallHandler endpoint, CallSignature signer) {
    return new FaultyHttpHandler(
        this,
        Objects.requireNonNull(endpoint, "endpoint"),
        Objects.requireNonNull(signer, "signer"));
  }

  /**
   * Ends every hang without delivering its call, cuts delays short and drops what the scripts have
   * left, so no thread stays held after a test.
   */
  @Override
  public void close() {
    for (OperationFaults script : scripts.values()) {
      script.abandonHangs();
      script.clear();
    }
    List<Runnable> waits;
    synchronized (this) {
      waits = List.copyOf(waitsInFlight);
    }
    waits.forEach(Runnable::run);
  }

  // ------------------------------------------------------------------------------------------
  // One call, whatever the transport.

  /** How one call reaches the participant and how its answers look on this transport. */
  interface Channel<R> {
    /** Delivers the call to the wrapped participant. */
    R deliver() throws Exception;

    /** Delivers the call a second time (a duplicate). */
    R deliverAgain() throws Exception;

    CallOutcome outcomeOf(R answer);

    /** The answer of an injected transient failure (thrown or returned). */
    R fail(InjectedFailureException failure) throws Exception;

    /** The answer of an injected refusal (thrown or returned). */
    R refuse(ParticipantRefusedException refusal) throws Exception;
  }

  /** What ends the hangs and delays under way, for {@link #close()}. */
  private final List<Runnable> waitsInFlight = new ArrayList<>();

  private synchronized void waiting(Runnable end) {
    waitsInFlight.add(end);
  }

  private synchronized void doneWaiting(Runnable end) {
    waitsInFlight.remove(end);
  }

  /** Runs one call through the script of its operation. */
  <R> R call(Operation op, Gid gid, BranchId branch, Channel<R> channel) throws Exception {
    ScriptedFault scripted = on(op).next();
    Fault fault = scripted.fault();
    R answer =
        switch (fault) {
          case NONE -> delivered(op, gid, branch, fault, channel::deliver, channel);
          case FAIL -> {
            record(op, gid, branch, fault, false, CallOutcome.FAILED);
            yield channel.fail(new InjectedFailureException(op, gid, branch, "scripted failure"));
          }
          case REFUSE -> {
            record(op, gid, branch, fault, false, CallOutcome.REFUSED);
            yield channel.refuse(new ParticipantRefusedException(scripted.reason()));
          }
          case DELAY -> {
            pause(scripted);
            yield delivered(op, gid, branch, fault, channel::deliver, channel);
          }
          case HANG -> {
            Runnable abandon = scripted::abandon;
            waiting(abandon);
            boolean released;
            try {
              released = scripted.hold().hold();
            } finally {
              doneWaiting(abandon);
            }
            if (released) {
              yield delivered(op, gid, branch, fault, channel::deliver, channel);
            }
            record(op, gid, branch, fault, false, CallOutcome.FAILED);
            yield channel.fail(new InjectedFailureException(op, gid, branch, "hung, timed out"));
          }
          case DUPLICATE -> {
            try {
              delivered(op, gid, branch, fault, channel::deliver, channel);
            } catch (Exception e) {
              // The first copy's answer is lost on the way back; the second one is the answer.
            }
            yield delivered(op, gid, branch, fault, channel::deliverAgain, channel);
          }
          case ANSWER_LOST -> {
            try {
              delivered(op, gid, branch, fault, channel::deliver, channel);
            } catch (Exception e) {
              // Whatever the participant answered, the caller never hears it.
            }
            yield channel.fail(
                new InjectedFailureException(op, gid, branch, "delivered; the answer was lost"));
          }
          case DELIVER_AFTER_ROLLBACK -> {
            hold(op, gid, branch, channel);
            record(op, gid, branch, fault, false, CallOutcome.FAILED);
            yield channel.fail(
                new InjectedFailureException(op, gid, branch, "held until its rollback"));
          }
        };
    return answer;
  }

  private interface Delivery<R> {
    R run() throws Exception;
  }

  private <R> R delivered(
      Operation op, Gid gid, BranchId branch, Fault fault, Delivery<R> delivery, Channel<R> channel)
      throws Exception {
    R answer;
    try {
      answer = delivery.run();
    } catch (ParticipantRefusedException e) {
      record(op, gid, branch, fault, true, CallOutcome.REFUSED);
      deliverHeldAfter(op, gid, branch);
      throw e;
    } catch (Exception e) {
      record(op, gid, branch, fault, true, CallOutcome.FAILED);
      deliverHeldAfter(op, gid, branch);
      throw e;
    }
    record(op, gid, branch, fault, true, channel.outcomeOf(answer));
    deliverHeldAfter(op, gid, branch);
    return answer;
  }

  /**
   * Waits the scripted pause. A latch rather than {@code Thread.sleep}, so that {@link #close()}
   * cuts a pause short.
   */
  private void pause(ScriptedFault scripted) throws InterruptedException {
    CountDownLatch cut = new CountDownLatch(1);
    Runnable end = cut::countDown;
    waiting(end);
    try {
      var unused = cut.await(scripted.pause().toNanos(), TimeUnit.NANOSECONDS);
    } finally {
      doneWaiting(end);
    }
  }

  private record HeldKey(Gid gid, BranchId branch, Operation rollback) {}

  private record Late(Operation op, Gid gid, BranchId branch, Channel<?> channel) {}

  private synchronized void hold(Operation op, Gid gid, BranchId branch, Channel<?> channel) {
    Operation rollback = op.undo().orElseThrow();
    held.put(new HeldKey(gid, branch, rollback), new Late(op, gid, branch, channel));
  }

  /** After a cancel (compensation) reached the participant, the try (action) held for it does. */
  private void deliverHeldAfter(Operation op, Gid gid, BranchId branch) {
    if (!op.isRollback()) {
      return;
    }
    Late late;
    synchronized (this) {
      late = held.remove(new HeldKey(gid, branch, op));
    }
    if (late != null) {
      deliverLate(late, late.channel());
    }
  }

  private <R> void deliverLate(Late late, Channel<R> channel) {
    CallOutcome outcome;
    try {
      outcome = channel.outcomeOf(channel.deliver());
    } catch (ParticipantRefusedException e) {
      outcome = CallOutcome.REFUSED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = CallOutcome.FAILED;
    } catch (Exception e) {
      // Nobody waits for the late call's answer: what it was is in the record.
      outcome = CallOutcome.FAILED;
    }
    record(late.op(), late.gid(), late.branch(), Fault.DELIVER_AFTER_ROLLBACK, true, outcome);
  }

  private synchronized void record(
      Operation op, Gid gid, BranchId branch, Fault fault, boolean delivered, CallOutcome outcome) {
    calls.add(new RecordedCall(op, gid, branch, fault, delivered, outcome));
  }

  private interface InProcessCall {
    void run() throws Exception;
  }

  private void inProcess(Operation op, BranchContext c, InProcessCall delivery) throws Exception {
    call(
        op,
        c.gid(),
        c.branchId(),
        new Channel<Void>() {
          @Override
          public Void deliver() throws Exception {
            delivery.run();
            return null;
          }

          @Override
          public Void deliverAgain() throws Exception {
            return deliver();
          }

          @Override
          public CallOutcome outcomeOf(Void answer) {
            return CallOutcome.SUCCEEDED;
          }

          @Override
          public Void fail(InjectedFailureException failure) {
            throw failure;
          }

          @Override
          public Void refuse(ParticipantRefusedException refusal) {
            throw refusal;
          }
        });
  }
}
