package dev.cohort.examples.shop;

import dev.cohort.examples.shop.account.AccountService;
import dev.cohort.examples.shop.inventory.InventoryService;
import dev.cohort.examples.shop.order.OrderService;
import dev.cohort.examples.shop.points.PointsService;
import dev.cohort.examples.shop.warehouse.WarehouseService;
import java.util.Arrays;
import java.util.Locale;

/** The five services of the shop, each a Spring Boot application of its own. */
public enum ShopService {
  ORDER(OrderService.class),
  ACCOUNT(AccountService.class),
  INVENTORY(InventoryService.class),
  POINTS(PointsService.class),
  WAREHOUSE(WarehouseService.class);

  private final Class<?> application;

  ShopService(Class<?> application) {
    this.application = application;
  }

  Class<?> application() {
    return application;
  }

  /** The name used on the command line, in properties and in database names. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ShopService fromCode(String code) {
    for (ShopService s : values()) {
      if (s.code().equals(code)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown service '"
            + code
            + "'; the shop has "
            + Arrays.stream(values()).map(ShopService::code).toList());
  }
}
