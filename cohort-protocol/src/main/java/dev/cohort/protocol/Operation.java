package dev.cohort.protocol;

import java.util.Optional;

/**
 * The operations the coordinator calls on a branch, by mode: TCC ({@link #TRY}, {@link #CONFIRM},
 * {@link #CANCEL}), saga ({@link #ACTION}, {@link #COMPENSATE}), two-phase commit ({@link
 * #PREPARE}, {@link #COMMIT}, {@link #ROLLBACK}) and three-phase commit ({@link #CAN_COMMIT},
 * {@link #PRE_COMMIT}, {@link #DO_COMMIT}, {@link #ABORT}) and reliable messages ({@link #CHECK},
 * {@link #RECEIVE}). Rolling-back operations have an origin whose later arrival they must block
 * (the barrier, and a prepared branch's anti-hanging rule).
 */
public enum Operation {
  TRY("try", null),
  CONFIRM("confirm", null),
  CANCEL("cancel", TRY),
  ACTION("action", null),
  COMPENSATE("compensate", ACTION),
  /** 2PC phase one: do the work in a local transaction and leave it prepared; answer the vote. */
  PREPARE("prepare", null),
  /** 2PC phase two after a commit decision: commit the prepared local transaction. */
  COMMIT("commit", null),
  /** 2PC phase two after a rollback decision (or a no vote anywhere): roll the branch back. */
  ROLLBACK("rollback", PREPARE),
  /** 3PC phase one: vote on whether the work can be done, locking nothing. */
  CAN_COMMIT("can-commit", null),
  /** 3PC phase two: do the work and hold it prepared; commits on its own if no abort follows. */
  PRE_COMMIT("pre-commit", null),
  /** 3PC phase three: commit the pre-committed work. */
  DO_COMMIT("do-commit", null),
  /** 3PC: forget a vote or roll back pre-committed work. */
  ABORT("abort", PRE_COMMIT),
  /**
   * Reliable message: the coordinator asks the service that started the message whether its local
   * transaction committed (the submit never came). Answers a state; changes nothing but closing the
   * message id when the transaction did not commit.
   */
  CHECK("check", null),
  /** Reliable message: the committed message delivered to a receiver, until it took it. */
  RECEIVE("receive", null);

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
    for (Operation op : values()) {
      if (op.origin == this) {
        return true;
      }
    }
    return false;
  }

  /** The operation that undoes this one ({@code TRY} → {@code CANCEL}), if there is one. */
  public Optional<Operation> undo() {
    for (Operation op : values()) {
      if (op.origin == this) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }

  /** The operation stored as {@code code}; throws naming the known codes if there is none. */
  public static Operation fromCode(String code) {
    for (Operation op : values()) {
      if (op.code.equals(code)) {
        return op;
      }
    }
    throw new IllegalArgumentException(
        "unknown operation code '"
            + code
            + "'; known: "
            + String.join(", ", java.util.Arrays.stream(values()).map(Operation::code).toList()));
  }
}
