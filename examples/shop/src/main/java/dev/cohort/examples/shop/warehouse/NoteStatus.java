package dev.cohort.examples.shop.warehouse;

import dev.cohort.examples.shop.common.StatusMachine;
import java.util.Set;

/**
 * An outbound note: UNKNOWN while a TCC try holds it, then CREATED or CANCELLED. The saga and the
 * plain mode create it CREATED at once.
 */
public enum NoteStatus implements StatusMachine<NoteStatus> {
  UNKNOWN {
    @Override
    public Set<NoteStatus> next() {
      return Set.of(CREATED, CANCELLED);
    }

    @Override
    public boolean initial() {
      return true;
    }
  },
  CREATED {
    @Override
    public boolean initial() {
      return true;
    }
  },
  CANCELLED;

  @Override
  public Set<NoteStatus> next() {
    return Set.of();
  }
}
