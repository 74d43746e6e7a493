package dev.cohort.coordinator;

import dev.cohort.api.Gid;
import dev.cohort.api.GlobalStatus;
import java.time.Duration;

/**
 * Raised when delivery gave up for now.
 *
 * @param stuckIn the status the transaction was in (COMMITTING, ROLLING_BACK or BEGUN for a forward
 *     saga step); an operator's retry returns it there
 * @param attempts failed delivery rounds
 * @param elapsed time since the phase started
 */
public record FailureAlert(
    Gid gid, GlobalStatus stuckIn, int attempts, Duration elapsed, String reason) {}
