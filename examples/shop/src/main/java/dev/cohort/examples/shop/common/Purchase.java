package dev.cohort.examples.shop.common;

/**
 * One purchase as every service sees it: the branch payload of each mode and the body of the plain
 * calls. Amounts are in cents.
 *
 * @param orderId chosen by the order service, unique per purchase
 * @param points the loyalty points the purchase earns
 */
public record Purchase(
    String orderId, String account, String item, int quantity, long amount, long points) {}
