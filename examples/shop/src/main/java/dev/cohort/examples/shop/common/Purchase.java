package dev.cohort.examples.shop.common;

/**
 * One purchase as every service sees it: the branch payload of each mode and the body of the plain
 * calls. Amounts are in cents.
 *
 * @param orderId chosen by the order service, unique per purchase
 * @param points the loyalty points the purchase earns
 * @param gid the gid the caller asked for, or null: in the Cohort modes the global transaction's
 *     (the participants take it from the call instead), in the mode without Cohort the id the
 *     services' effect ledgers record the plain calls under
 */
public record Purchase(
    String orderId,
    String account,
    String item,
    int quantity,
    long amount,
    long points,
    String gid) {}
