package dev.cohort.examples.shop.order;

import dev.cohort.examples.shop.common.StatusMachine;
import java.util.Set;

/** An order: PAYING while its purchase runs, then PAID or CANCELLED. */
public enum OrderStatus implements StatusMachine<OrderStatus> {
  PAYING {
    @Override
    public Set<OrderStatus> next() {
      return Set.of(PAID, CANCELLED);
    }

    @Override
    public boolean initial() {
      return true;
    }
  },
  PAID,
  CANCELLED;

  @Override
  public Set<OrderStatus> next() {
    return Set.of();
  }
}
