package dev.cohort.chaos;

/**
 * The purchases of one mode.
 *
 * @param started purchases begun
 * @param committed ended committed (the coordinator's final status; the caller's answer for an
 *     uncoordinated mode)
 * @param rolledBack ended rolled back
 * @param failed the caller got an error or no answer
 * @param resolved of {@code failed}, those the coordinator still carried to an end (committed,
 *     rolled back, or resolved by an operator)
 * @param notTerminal the coordinator still had them under way (or FAILED) when the window closed
 */
public record ModeStats(
    boolean coordinated,
    long started,
    long committed,
    long rolledBack,
    long failed,
    long resolved,
    long notTerminal) {}
