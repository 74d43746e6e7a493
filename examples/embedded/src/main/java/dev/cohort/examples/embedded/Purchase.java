package dev.cohort.examples.embedded;

import java.util.HashMap;
import java.util.Map;

/**
 * What each branch of a purchase carries as its payload, in a form a person can read in the log:
 * {@code account=alice;cents=3000;sku=sku-1;qty=2;address=Main St 1}.
 */
record Purchase(String account, long cents, String sku, int qty, String address) {

  String encode() {
    return "account="
        + account
        + ";cents="
        + cents
        + ";sku="
        + sku
        + ";qty="
        + qty
        + ";address="
        + address;
  }

  static Purchase decode(String payload) {
    Map<String, String> fields = new HashMap<>();
    for (String pair : payload.split(";", -1)) {
      int eq = pair.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(
            "purchase payload part '" + pair + "' is not key=value (payload: " + payload + ")");
      }
      fields.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return new Purchase(
        fields.get("account"),
        Long.parseLong(fields.get("cents")),
        fields.get("sku"),
        Integer.parseInt(fields.get("qty")),
        fields.get("address"));
  }
}
