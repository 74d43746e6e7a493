package dev.cohort.protocol;

import dev.cohort.api.InvalidInputException;
import dev.cohort.api.Mode;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What an HTTP branch of a mode carries: the operations it has a URL for, and whether it has a
 * {@code recovery}. This is data about the wire shape of a branch, not about which modes the engine
 * runs: a coordinator without a processor for a mode refuses it with its own error.
 */
public enum BranchShape {
  TCC(Mode.TCC, false, Operation.TRY, Operation.CONFIRM, Operation.CANCEL),
  SAGA(Mode.SAGA, true, Operation.ACTION, Operation.COMPENSATE),
  XA(Mode.XA, false, Operation.PREPARE, Operation.COMMIT, Operation.ROLLBACK),
  THREE_PC(
      Mode.THREE_PC,
      false,
      Operation.CAN_COMMIT,
      Operation.PRE_COMMIT,
      Operation.DO_COMMIT,
      Operation.ABORT),
  /**
   * Reliable message ({@code msg}): a branch carries exactly one of the two calls. The first branch
   * of a transaction is the check-back of the service that started it ({@code check}); every other
   * one a receiver ({@code receive}).
   */
  MSG(Mode.fromCode("msg"), false, true, Operation.CHECK, Operation.RECEIVE);

  private final Mode mode;
  private final boolean recovery;
  private final boolean oneOperation;
  private final List<Operation> operations;

  BranchShape(Mode mode, boolean recovery, Operation... operations) {
    this(mode, recovery, false, operations);
  }

  BranchShape(Mode mode, boolean recovery, boolean oneOperation, Operation... operations) {
    this.mode = mode;
    this.recovery = recovery;
    this.oneOperation = oneOperation;
    this.operations = List.of(operations);
  }

  /**
   * Whether a branch of this shape has a URL for exactly one of {@link #operations()} (which one is
   * the mode's rule) rather than one for each.
   */
  public boolean oneOperation() {
    return oneOperation;
  }

  public Mode mode() {
    return mode;
  }

  /**
   * The operations a branch of this shape has a URL for, in call order; only one of them when
   * {@link #oneOperation()}.
   */
  public List<Operation> operations() {
    return operations;
  }

  /** Whether a branch of this shape names its recovery (backward or forward). */
  public boolean hasRecovery() {
    return recovery;
  }

  public boolean carries(Operation op) {
    return operations.contains(op);
  }

  /** The JSON fields of a branch of this shape in a request (docs/protocol.md). */
  public Set<String> requestFields() {
    Set<String> fields = new java.util.TreeSet<>(Set.of("branchId", "payload"));
    for (Operation op : operations) {
      fields.add(op.code());
    }
    if (recovery) {
      fields.add("recovery");
    }
    return fields;
  }

  /** The shape of HTTP branches in {@code mode}; a clear error when HTTP has none for it. */
  public static BranchShape of(Mode mode) {
    for (BranchShape shape : values()) {
      if (shape.mode.equals(mode)) {
        return shape;
      }
    }
    throw new InvalidInputException(
        "HTTP branches exist for "
            + String.join(", ", Arrays.stream(values()).map(s -> s.mode.code()).toList())
            + " transactions, not "
            + (mode == null ? "null" : mode.code()));
  }

  /** Every operation some shape carries. */
  public static Set<Operation> allOperations() {
    Set<Operation> all = EnumSet.noneOf(Operation.class);
    for (BranchShape shape : values()) {
      all.addAll(shape.operations);
    }
    return all;
  }
}
