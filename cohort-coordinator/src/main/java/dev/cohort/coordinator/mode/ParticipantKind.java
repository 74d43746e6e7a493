package dev.cohort.coordinator.mode;

import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;

/**
 * The participants of one mode: the key under which they are registered by name ({@code
 * Coordinator.registerParticipant}) and found again ({@link ModeContext#participant}). A new mode
 * brings its own kind, and with it its own participant type.
 *
 * @param label how errors name one, e.g. "TCC participant"
 */
public record ParticipantKind<T>(Mode mode, Class<T> type, String label) {
  public ParticipantKind {
    if (mode == null || type == null || label == null || label.isBlank()) {
      throw new InvalidInputException(
          "a participant kind needs a mode, a type and a label, e.g. new ParticipantKind<>(mode,"
              + " Notifier.class, \"notifier\")");
    }
  }
}
