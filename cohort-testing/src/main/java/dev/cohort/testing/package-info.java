/**
 * For tests of services that use Cohort: {@link dev.cohort.testing.TestCoordinator} (a real
 * coordinator on an SQLite log whose time the test moves) and {@link
 * dev.cohort.testing.FaultInjector} (scripted faults between it and a participant, with a record of
 * every call). See docs/testing.md.
 */
package dev.cohort.testing;
