package dev.cohort.examples.embedded;

import dev.cohort.api.BranchContext;
import dev.cohort.api.ParticipantRefusedException;
import dev.cohort.coordinator.SagaStep;
import dev.cohort.coordinator.TccParticipant;
import dev.cohort.participant.Barrier;
import dev.cohort.participant.BarrierResult;
import dev.cohort.participant.BarrierWork;
import dev.cohort.protocol.Operation;
import java.sql.SQLException;

/**
 * The shop's services as Cohort participants. Every call goes through the barrier, so a repeated
 * confirm, a cancel without a try, or a try after its cancel cannot corrupt a balance.
 */
final class ShopParticipants {
  private final Barrier barrier;
  private final Narrator narrator;

  ShopParticipants(Shop shop, Narrator narrator) {
    this.barrier = shop.barrier();
    this.narrator = narrator;
  }

  /** Account: try freezes the amount, confirm pays the merchant, cancel unfreezes. */
  TccParticipant account() {
    return TccParticipant.of(
        ctx ->
            guarded(
                "account",
                Operation.TRY,
                ctx,
                c -> {
                  Purchase p = Purchase.decode(ctx.payload());
                  int changed =
                      Shop.update(
                          c,
                          "UPDATE account SET frozen = frozen + ? WHERE name = ?"
                              + " AND balance - frozen >= ?",
                          p.cents(),
                          p.account(),
                          p.cents());
                  if (changed == 0) {
                    throw new ParticipantRefusedException(
                        p.account() + " cannot cover " + cents(p.cents()));
                  }
                },
                "froze " + cents(Purchase.decode(ctx.payload()).cents())),
        ctx ->
            guarded(
                "account",
                Operation.CONFIRM,
                ctx,
                c -> {
                  Purchase p = Purchase.decode(ctx.payload());
                  Shop.update(
                      c,
                      "UPDATE account SET balance = balance - ?, frozen = frozen - ? WHERE name = ?",
                      p.cents(),
                      p.cents(),
                      p.account());
                  Shop.update(
                      c,
                      "UPDATE account SET balance = balance + ? WHERE name = ?",
                      p.cents(),
                      Shop.MERCHANT);
                },
                "paid the merchant"),
        ctx ->
            guarded(
                "account",
                Operation.CANCEL,
                ctx,
                c -> {
                  Purchase p = Purchase.decode(ctx.payload());
                  Shop.update(
                      c,
                      "UPDATE account SET frozen = frozen - ? WHERE name = ?",
                      p.cents(),
                      p.account());
                },
                "unfroze the amount"));
  }

  /** Stock: try reserves, confirm sells the reservation, cancel releases it. */
  TccParticipant stock() {
    return TccParticipant.of(
        ctx ->
            guarded(
                "stock",
                Operation.TRY,
                ctx,
                c -> {
                  Purchase p = Purchase.decode(ctx.payload());
                  int changed =
                      Shop.update(
                          c,
                          "UPDATE stock SET available = available - ?, reserved = reserved + ?"
                              + " WHERE sku = ? AND available >= ?",
                          p.qty(),
                          p.qty(),
                          p.sku(),
                          p.qty());
                  if (changed == 0) {
                    throw new ParticipantRefusedException(p.sku() + " is out of stock");
                  }
                },
                "reserved " + Purchase.decode(ctx.payload()).qty() + " unit(s)"),
        ctx ->
            guarded(
                "stock",
                Operation.CONFIRM,
                ctx,
                c -> {
                  Purchase p = Purchase.decode(ctx.payload());
                  Shop.update(
                      c,
                      "UPDATE stock SET reserved = reserved - ?, sold = sold + ? WHERE sku = ?",
                      p.qty(),
                      p.qty(),
                      p.sku());
                },
                "sold the reservation"),
        ctx ->
            guarded(
                "stock",
                Operation.CANCEL,
                ctx,
                c -> {
                  Purchase p = Purchase.decode(ctx.payload());
                  Shop.update(
                      c,
                      "UPDATE stock SET available = available + ?, reserved = reserved - ?"
                          + " WHERE sku = ?",
                      p.qty(),
                      p.qty(),
                      p.sku());
                },
                "released the reservation"));
  }

  /** Saga step: charge the buyer directly; the compensation refunds. */
  SagaStep payment() {
    return SagaStep.of(
        ctx ->
            guarded(
                "payment",
                Operation.ACTION,
                ctx,
                c -> {
                  Purchase p = Purchase.decode(ctx.payload());
                  int changed =
                      Shop.update(
                          c,
                          "UPDATE account SET balance = balance - ? WHERE name = ?"
                              + " AND balance - frozen >= ?",
                          p.cents(),
                          p.account(),
                          p.cents());
                  if (changed == 0) {
                    throw new ParticipantRefusedException(
                        p.account() + " cannot cover " + cents(p.cents()));
                  }
                  Shop.update(
                      c,
                      "UPDATE account SET balance = balance + ? WHERE name = ?",
                      p.cents(),
                      Shop.MERCHANT);
                },
                "charged " + cents(Purchase.decode(ctx.payload()).cents())),
        ctx ->
            guarded(
                "payment",
                Operation.COMPENSATE,
                ctx,
                c -> {
                  Purchase p = Purchase.decode(ctx.payload());
                  Shop.update(
                      c,
                      "UPDATE account SET balance = balance - ? WHERE name = ?",
                      p.cents(),
                      Shop.MERCHANT);
                  Shop.update(
                      c,
                      "UPDATE account SET balance = balance + ? WHERE name = ?",
                      p.cents(),
                      p.account());
                },
                "refunded"));
  }

  /** Saga step: book a shipment; the carrier refuses addresses it does not serve. */
  SagaStep shipping() {
    return SagaStep.of(
        ctx ->
            guarded(
                "shipping",
                Operation.ACTION,
                ctx,
                c -> {
                  Purchase p = Purchase.decode(ctx.payload());
                  if (p.address().contains("Atlantis")) {
                    throw new ParticipantRefusedException(
                        "the carrier does not deliver to " + p.address());
                  }
                  Shop.update(
                      c,
                      "INSERT INTO shipment VALUES (?, ?, 'BOOKED')",
                      ctx.gid().value(),
                      p.address());
                },
                "booked a shipment"),
        ctx ->
            guarded(
                "shipping",
                Operation.COMPENSATE,
                ctx,
                c ->
                    Shop.update(
                        c,
                        "UPDATE shipment SET status = 'CANCELLED' WHERE gid = ?",
                        ctx.gid().value()),
                "cancelled the shipment"));
  }

  private void guarded(
      String service,
      Operation op,
      BranchContext ctx,
      BarrierWork<SQLException> work,
      String effect)
      throws SQLException {
    try {
      BarrierResult result = barrier.run(ctx.gid().value(), ctx.branchId().value(), op, work);
      narrator.call(service, op, result, effect);
      if (result == BarrierResult.REFUSED_AFTER_CANCEL) {
        throw new ParticipantRefusedException("already cancelled");
      }
    } catch (ParticipantRefusedException e) {
      narrator.refused(service, op, e.getMessage());
      throw e;
    }
  }

  static String cents(long cents) {
    return String.format("%d.%02d", cents / 100, cents % 100);
  }
}
