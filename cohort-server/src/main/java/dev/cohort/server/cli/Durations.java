package dev.cohort.server.cli;

/** Reads {@code 90s}, {@code 10m}, {@code 2h}, {@code 1d} or plain milliseconds. */
final class Durations {
  private Durations() {}

  static long millis(String text) {
    String t = text.trim();
    try {
      if (t.matches("\\d+")) {
        return Long.parseLong(t);
      }
      if (t.matches("\\d+(ms|s|m|h|d)")) {
        String unit = t.replaceAll("\\d+", "");
        long n = Long.parseLong(t.substring(0, t.length() - unit.length()));
        return switch (unit) {
          case "ms" -> n;
          case "s" -> n * 1000;
          case "m" -> n * 60_000;
          case "h" -> n * 3_600_000;
          default -> n * 86_400_000;
        };
      }
    } catch (NumberFormatException e) {
      // too large: answered below
    }
    throw new IllegalArgumentException(
        "'" + text + "' is not a duration; use e.g. 90s, 10m, 2h, 1d or milliseconds");
  }
}
