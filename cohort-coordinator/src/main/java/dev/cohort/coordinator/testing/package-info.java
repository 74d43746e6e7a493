/** Test doubles for time: drive the engine's retries and deadlines without sleeping. */
package dev.cohort.coordinator.testing;
