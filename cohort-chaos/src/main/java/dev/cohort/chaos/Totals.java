package dev.cohort.chaos;

import dev.cohort.chaos.internal.JsonTotals;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Named numbers a system reports about its state, e.g. {@code balance}, {@code frozen}; the input
 * of the conservation and all-zero invariants.
 */
@FunctionalInterface
public interface Totals {
  Map<String, Long> read() throws Exception;

  /**
   * Reads a JSON object over HTTP GET (e.g. a service's {@code /admin/state}); nested objects are
   * flattened with dots ({@code {"stock": {"frozen": 0}}} is {@code stock.frozen}), numbers kept,
   * everything else ignored.
   */
  static Totals fromJson(URI url, Duration timeout) {
    return new JsonTotals(url, timeout);
  }

  /** Only the named entries of this one, summed: {@code sum("balance", "frozen")}. */
  default Totals sum(String name, String... keys) {
    Totals source = this;
    return () -> {
      Map<String, Long> all = source.read();
      long total = 0;
      for (String key : keys) {
        Long value = all.get(key);
        if (value == null) {
          throw new IllegalStateException(
              "total '" + key + "' is missing; the system reported " + all.keySet());
        }
        total += value;
      }
      return Map.of(name, total);
    };
  }
}
