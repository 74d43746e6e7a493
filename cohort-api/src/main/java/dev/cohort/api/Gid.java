package dev.cohort.api;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The id of a global transaction. Chosen by the caller or generated; it is the key of the log and
 * of every participant's barrier, so it is restricted to characters that are safe in SQL, URLs and
 * file names.
 */
public record Gid(String value) implements Comparable<Gid> {
  /** Longest id the stores accept (their key columns are sized for it). */
  public static final int MAX_LENGTH = 128;

  private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._:-]+");

  public Gid {
    checkId("gid", value);
  }

  public static Gid of(String value) {
    return new Gid(value);
  }

  /**
   * A fresh id: 12 hex digits of the current time in milliseconds, then 20 random hex digits (80
   * bits). Time-ordered ids append to the right edge of the log's indexes instead of touching a
   * random page per transaction, which keeps the write-ahead log of the database small; 80 random
   * bits make a collision within one millisecond practically impossible.
   */
  public static Gid random() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return new Gid(
        String.format(
            "%012x%04x%016x",
            System.currentTimeMillis() & 0xFFFF_FFFF_FFFFL,
            random.nextInt(0x10000),
            random.nextLong()));
  }

  @Override
  public int compareTo(Gid other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }

  static void checkId(String what, String value) {
    if (value == null || value.isEmpty()) {
      throw new InvalidInputException(
          what
              + " must not be empty; use letters, digits and . _ : - (at most "
              + MAX_LENGTH
              + ")");
    }
    if (value.length() > MAX_LENGTH) {
      throw new InvalidInputException(
          what
              + " '"
              + value.substring(0, 20)
              + "...' is "
              + value.length()
              + " characters long; the maximum is "
              + MAX_LENGTH);
    }
    if (!ALLOWED.matcher(value).matches()) {
      throw new InvalidInputException(
          what + " '" + value + "' contains characters other than letters, digits and . _ : -");
    }
  }
}
