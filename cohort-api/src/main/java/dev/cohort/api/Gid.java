package dev.cohort.api;

import java.util.UUID;
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

  /** A fresh random id (a UUID without dashes). */
  public static Gid random() {
    return new Gid(UUID.randomUUID().toString().replace("-", ""));
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
