package dev.cohort.examples.shop.common;

import java.util.List;

/**
 * The shop's starting data, the same in every service: accounts {@code a00}..{@code aNN} with the
 * same balance, and a catalog of items with a price, points and stock.
 */
public final class Seed {
  /** Accounts the demo and tests buy with. */
  public static final int ACCOUNTS = 20;

  /** Each account's starting balance in cents: 1,000.00. */
  public static final long BALANCE = 100_000;

  /** Starting stock of every item. */
  public static final long STOCK = 10_000;

  /** An item for sale. */
  public record Item(String id, long price, long points) {}

  public static final List<Item> CATALOG =
      List.of(new Item("book", 3_000, 30), new Item("pen", 250, 2), new Item("mug", 1_200, 12));

  private Seed() {}

  public static String account(int i) {
    return String.format(java.util.Locale.ROOT, "a%02d", i);
  }

  public static Item item(String id) {
    return CATALOG.stream()
        .filter(i -> i.id().equals(id))
        .findFirst()
        .orElseThrow(() ->
            new IllegalArgumentException(
                "no item '"
                    + id
                    + "'; the catalog has "
                    + CATALOG.stream().map(Item::id).toList()));
  }
}
