package dev.cohort.coordinator.internal;

import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import dev.cohort.api.UnknownParticipantException;
import dev.cohort.coordinator.SagaStep;
import dev.cohort.coordinator.TccParticipant;
import dev.cohort.coordinator.mode.ParticipantKind;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Participants by mode and by the names the log records. After a crash the log names a participant
 * and this registry finds the object again, so every participant a transaction uses must be
 * registered before the engine starts recovering. Keyed by mode, so that a new mode brings its own
 * participant type ({@link ParticipantKind}) without a change here.
 */
public final class Participants {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final Map<Mode, Map<String, Object>> byMode = new ConcurrentHashMap<>();

  public void registerTcc(String name, TccParticipant participant) {
    register(TccProcessor.PARTICIPANTS, name, participant);
  }

  public void registerSagaStep(String name, SagaStep step) {
    register(SagaProcessor.PARTICIPANTS, name, step);
  }

  public <T> void register(ParticipantKind<T> kind, String name, T participant) {
    if (kind == null) {
      throw new InvalidInputException(
          "registering participant '" + name + "' needs the kind (mode) it belongs to");
    }
    String what = kind.label();
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidInputException(
          what + " name '" + name + "' must be 1-128 letters, digits or . _ : -");
    }
    if (participant == null) {
      throw new InvalidInputException(what + " '" + name + "' must not be null");
    }
    if (!kind.type().isInstance(participant)) {
      throw new InvalidInputException(
          what
              + " '"
              + name
              + "' must be a "
              + kind.type().getName()
              + ", not a "
              + participant.getClass().getName());
    }
    Object previous =
        byMode
            .computeIfAbsent(kind.mode(), m -> new ConcurrentHashMap<>())
            .putIfAbsent(name, participant);
    if (previous != null && previous != participant) {
      throw new InvalidInputException(
          "a different "
              + what
              + " is already registered under '"
              + name
              + "'; the log refers to participants by name, so each name must mean one object");
    }
  }

  public <T> T get(ParticipantKind<T> kind, String name) {
    Map<String, Object> named = byMode.getOrDefault(kind.mode(), Map.of());
    Object p = name == null ? null : named.get(name);
    if (!kind.type().isInstance(p)) {
      throw new UnknownParticipantException(kind.label(), name, named.keySet());
    }
    return kind.type().cast(p);
  }
}
