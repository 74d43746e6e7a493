package dev.cohort.coordinator;

import dev.cohort.api.BranchContext;
import dev.cohort.api.ParticipantRefusedException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scripted in-process participants: each call (e.g. {@code a.confirm}) takes its next behaviour
 * from a queue (success when the queue is empty) and is recorded as {@code a.confirm:b1}.
 */
public final class Script {
  /** What one call does. */
  @FunctionalInterface
  public interface Behaviour {
    void act() throws Exception;
  }

  private final Map<String, Deque<Behaviour>> plans = new ConcurrentHashMap<>();
  private final List<String> calls = new ArrayList<>();

  public static Behaviour refuse(String reason) {
    return () -> {
      throw new ParticipantRefusedException(reason);
    };
  }

  public static Behaviour fail(String message) {
    return () -> {
      throw new IllegalStateException(message);
    };
  }

  /** Queues behaviours for the next calls of {@code key} ("a.try", "debit.compensate"). */
  public Script on(String key, Behaviour... behaviours) {
    Deque<Behaviour> plan = plans.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (plan) {
      for (Behaviour b : behaviours) {
        plan.add(b);
      }
    }
    return this;
  }

  /** Every later call of {@code key} fails. */
  public Script alwaysFail(String key) {
    plans.put(key, new ArrayDeque<>(List.of(new Repeat(fail(key + " is down")))));
    return this;
  }

  public Script heal(String key) {
    plans.remove(key);
    return this;
  }

  void run(String key, BranchContext context) throws Exception {
    synchronized (calls) {
      calls.add(key + ":" + context.branchId());
    }
    Deque<Behaviour> plan = plans.get(key);
    Behaviour next = null;
    if (plan != null) {
      synchronized (plan) {
        next = plan.peek();
        if (next != null && !(next instanceof Repeat)) {
          plan.poll();
        }
      }
    }
    if (next != null) {
      next.act();
    }
  }

  public List<String> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  public long count(String call) {
    return calls().stream().filter(call::equals).count();
  }

  public TccParticipant tcc(String name) {
    return TccParticipant.of(
        ctx -> run(name + ".try", ctx),
        ctx -> run(name + ".confirm", ctx),
        ctx -> run(name + ".cancel", ctx));
  }

  public SagaStep saga(String name) {
    return SagaStep.of(ctx -> run(name + ".action", ctx), ctx -> run(name + ".compensate", ctx));
  }

  private record Repeat(Behaviour inner) implements Behaviour {
    @Override
    public void act() throws Exception {
      inner.act();
    }
  }
}
