package dev.cohort.api;

/** The id of a branch inside one global transaction; unique within its {@link Gid}. */
public record BranchId(String value) implements Comparable<BranchId> {
  public BranchId {
    Gid.checkId("branch id", value);
  }

  public static BranchId of(String value) {
    return new BranchId(value);
  }

  @Override
  public int compareTo(BranchId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
