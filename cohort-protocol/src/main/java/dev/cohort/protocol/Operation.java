package dev.cohort.protocol;

import java.util.Optional;

/**
 * The branch operation a barrier guards. Rolling-back operations ({@link #CANCEL}, {@link
 * #COMPENSATE}) have an origin ({@link #TRY}, {@link #ACTION}) whose later arrival they must block.
 */
public enum Operation {
  TRY("try", null),
  CONFIRM("confirm", null),
  CANCEL("cancel", TRY),
  ACTION("action", null),
  COMPENSATE("compensate", ACTION);

  private final String code;
  private final Operation origin;

  Operation(String code, Operation origin) {
    this.code = code;
    this.origin = origin;
  }

  /** The string stored in the {@code op} and {@code reason} columns. */
  public String code() {
    return code;
  }

  /** The operation this one undoes, if it undoes one. */
  public Optional<Operation> origin() {
    return Optional.ofNullable(origin);
  }

  /** Whether this operation undoes another ({@code CANCEL}, {@code COMPENSATE}). */
  public boolean isRollback() {
    return origin != null;
  }

  /** Whether this operation can be undone, and so can be refused after its undo ran first. */
  public boolean isUndoable() {
    return this == TRY || this == ACTION;
  }

  /** The operation stored as {@code code}; throws naming the known codes if there is none. */
  public static Operation fromCode(String code) {
    for (Operation op : values()) {
      if (op.code.equals(code)) {
        return op;
      }
    }
    throw new IllegalArgumentException(
        "unknown barrier op code '" + code + "'; known: try, confirm, cancel, action, compensate");
  }
}
