package dev.cohort.api;

/** How a global transaction reaches agreement. Stored by {@link #code()}, never by ordinal. */
public enum Mode {
  TCC("tcc"),
  SAGA("saga"),
  XA("xa"),
  THREE_PC("3pc");

  private final String code;

  Mode(String code) {
    this.code = code;
  }

  /** The readable string written to the log. */
  public String code() {
    return code;
  }

  public static Mode fromCode(String code) {
    for (Mode mode : values()) {
      if (mode.code.equals(code)) {
        return mode;
      }
    }
    throw new InvalidInputException(
        "unknown mode code '" + code + "'; known codes: tcc, saga, xa, 3pc");
  }
}
