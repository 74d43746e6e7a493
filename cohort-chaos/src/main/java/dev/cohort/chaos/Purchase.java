package dev.cohort.chaos;

import java.util.Optional;

/**
 * One purchase of the run, after quiescence.
 *
 * @param answer what the caller learned
 * @param error the caller's error when {@code answer} is FAILED, else null
 * @param finalStatus the coordinator's status code of the gid after quiescence ({@code committed},
 *     {@code rolled_back}, ...); null for an uncoordinated purchase or a gid the coordinator does
 *     not know
 */
public record Purchase(
    String gid,
    String mode,
    boolean coordinated,
    PurchaseOutcome answer,
    String error,
    String finalStatus) {

  public Optional<String> status() {
    return Optional.ofNullable(finalStatus);
  }
}
