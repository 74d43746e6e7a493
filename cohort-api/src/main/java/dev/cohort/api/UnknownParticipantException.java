package dev.cohort.api;

import java.util.Collection;
import java.util.TreeSet;

/** A branch names a participant that was never registered with the engine. */
public class UnknownParticipantException extends CohortException {
  public UnknownParticipantException(String kind, String name, Collection<String> known) {
    super(
        "no "
            + kind
            + " is registered under '"
            + name
            + "'; registered: "
            + (known.isEmpty() ? "none" : String.join(", ", new TreeSet<>(known)))
            + ". Register it on the engine before starting transactions that use it.");
  }
}
