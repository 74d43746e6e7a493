/**
 * Time that tests move by hand: {@link dev.cohort.testing.time.MutableClock} and {@link
 * dev.cohort.testing.time.ManualScheduler}, which implements {@link dev.cohort.api.Scheduler}.
 */
package dev.cohort.testing.time;
