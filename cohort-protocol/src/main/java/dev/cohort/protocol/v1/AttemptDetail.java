package dev.cohort.protocol.v1;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One call the coordinator made to a branch, in a {@link BranchDetail}'s {@code attemptHistory}:
 * the log keeps the last few per branch and operation (docs/console.md, "Attempt history").
 *
 * @param operation {@code try}, {@code confirm}, {@code cancel}, {@code action}, {@code
 *     compensate}, ...
 * @param attempt the call's number within its operation, from 1
 * @param at when the call started, ISO-8601 UTC text
 * @param tookMs how long it took until it answered or failed, in milliseconds (microsecond
 *     precision)
 * @param outcome {@code succeeded}, {@code failed} or {@code refused}
 * @param httpStatus the participant's HTTP status when a call failed on an answer; null when it
 *     succeeded or got no HTTP answer
 * @param error what went wrong; null when it succeeded
 */
public record AttemptDetail(
    String operation,
    int attempt,
    String at,
    double tookMs,
    String outcome,
    @JsonInclude(JsonInclude.Include.ALWAYS) Integer httpStatus,
    @JsonInclude(JsonInclude.Include.ALWAYS) String error) {}
