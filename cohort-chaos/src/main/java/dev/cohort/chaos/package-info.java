/**
 * The chaos checker: concurrent purchases against a whole system while processes are SIGKILLed and
 * restarted, then quiescence and invariant checks, reported in text and JSON. A system plugs in
 * through {@link dev.cohort.chaos.SystemUnderTest}; its own checks through {@link
 * dev.cohort.chaos.Invariant}. See docs/chaos.md.
 */
package dev.cohort.chaos;
