package dev.cohort.messaging;

/** What {@link Inbox#receive} did with one delivery. */
public enum InboxResult {
  /** The handler ran and its effect committed with the inbox row. */
  APPLIED,
  /** The message was applied (or parked) before: nothing ran. */
  DUPLICATE_SKIPPED,
  /** Not applied, kept with the reason: unknown type or a payload the handler could not take. */
  PARKED
}
