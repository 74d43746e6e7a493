package dev.cohort.coordinator.internal;

import dev.cohort.api.InvalidInputException;
import dev.cohort.api.UnknownParticipantException;
import dev.cohort.coordinator.SagaStep;
import dev.cohort.coordinator.TccParticipant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Participants by the names the log records. After a crash the log names a participant and this
 * registry finds the object again, so every participant a transaction uses must be registered
 * before the engine starts recovering.
 */
public final class Participants {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final Map<String, TccParticipant> tcc = new ConcurrentHashMap<>();
  private final Map<String, SagaStep> saga = new ConcurrentHashMap<>();

  public void registerTcc(String name, TccParticipant participant) {
    register("TCC participant", tcc, name, participant);
  }

  public void registerSagaStep(String name, SagaStep step) {
    register("saga step", saga, name, step);
  }

  public TccParticipant tcc(String name) {
    TccParticipant p = tcc.get(name);
    if (p == null) {
      throw new UnknownParticipantException("TCC participant", name, tcc.keySet());
    }
    return p;
  }

  public SagaStep saga(String name) {
    SagaStep s = saga.get(name);
    if (s == null) {
      throw new UnknownParticipantException("saga step", name, saga.keySet());
    }
    return s;
  }

  private static <T> void register(String kind, Map<String, T> map, String name, T value) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidInputException(
          kind + " name '" + name + "' must be 1-128 letters, digits or . _ : -");
    }
    if (value == null) {
      throw new InvalidInputException(kind + " '" + name + "' must not be null");
    }
    T previous = map.putIfAbsent(name, value);
    if (previous != null && previous != value) {
      throw new InvalidInputException(
          "a different "
              + kind
              + " is already registered under '"
              + name
              + "'; the log refers to participants by name, so each name must mean one object");
    }
  }
}
