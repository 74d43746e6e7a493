package dev.cohort.api;

import java.util.List;
import java.util.regex.Pattern;

/**
 * How a global transaction reaches agreement, identified by its {@link #code()}, which is what the
 * log stores. A value rather than an enum so that a coordinator can be given a mode beyond the
 * named ones (its processor is a plug-in); whether a mode can run is the coordinator's question,
 * not this type's.
 *
 * <p>{@link #fromCode} returns the named constants for their codes, so {@code mode == Mode.TCC}
 * stays true for a mode read from the log or the wire; compare other modes with {@link #equals}.
 */
public final class Mode {
  public static final Mode TCC = new Mode("tcc");
  public static final Mode SAGA = new Mode("saga");
  public static final Mode XA = new Mode("xa");
  public static final Mode THREE_PC = new Mode("3pc");

  private static final List<Mode> NAMED = List.of(TCC, SAGA, XA, THREE_PC);

  /** Fits the log's column (VARCHAR(16)) and reads the same in a URL, a header and JSON. */
  private static final Pattern CODE = Pattern.compile("[a-z0-9][a-z0-9-]{0,15}");

  private final String code;

  private Mode(String code) {
    this.code = code;
  }

  /** The readable string written to the log. */
  public String code() {
    return code;
  }

  /**
   * The mode with {@code code}: one of the named constants, or another well-formed code (1-16
   * lower-case letters, digits or '-', starting with a letter or digit).
   */
  public static Mode fromCode(String code) {
    for (Mode named : NAMED) {
      if (named.code.equals(code)) {
        return named;
      }
    }
    if (code == null || !CODE.matcher(code).matches()) {
      throw new InvalidInputException(
          "mode code '"
              + code
              + "' is not 1-16 lower-case letters, digits or '-'; the named modes are tcc, saga,"
              + " xa, 3pc");
    }
    return new Mode(code);
  }

  /** The modes this library names: tcc, saga, xa, 3pc (not every one has a processor yet). */
  public static List<Mode> named() {
    return NAMED;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Mode m && m.code.equals(code);
  }

  @Override
  public int hashCode() {
    return code.hashCode();
  }

  @Override
  public String toString() {
    return code;
  }
}
