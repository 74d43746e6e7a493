package dev.cohort.testing;

import dev.cohort.api.BranchId;
import dev.cohort.api.Gid;
import dev.cohort.protocol.Operation;

/**
 * One call a {@link FaultInjector} saw, or one delivery it made on its own (the second copy of a
 * {@link Fault#DUPLICATE}, the late try of a {@link Fault#DELIVER_AFTER_ROLLBACK}).
 *
 * @param fault what was done to the call
 * @param delivered whether the wrapped participant received it
 * @param outcome the answer: the participant's when delivered, the injected one otherwise
 */
public record RecordedCall(
    Operation op, Gid gid, BranchId branch, Fault fault, boolean delivered, CallOutcome outcome) {}
