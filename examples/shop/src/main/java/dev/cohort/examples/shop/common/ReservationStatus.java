package dev.cohort.examples.shop.common;

import java.util.Set;

/** A TCC reservation a participant holds: made by a try, ended by a confirm or a cancel. */
public enum ReservationStatus implements StatusMachine<ReservationStatus> {
  HELD {
    @Override
    public Set<ReservationStatus> next() {
      return Set.of(CONFIRMED, CANCELLED);
    }

    @Override
    public boolean initial() {
      return true;
    }
  },
  CONFIRMED,
  CANCELLED;

  @Override
  public Set<ReservationStatus> next() {
    return Set.of();
  }
}
