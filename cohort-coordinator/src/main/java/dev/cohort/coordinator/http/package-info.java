/**
 * The coordinator's side of docs/protocol.md "Participant calls": {@link
 * dev.cohort.coordinator.http.HttpParticipant} makes the signed calls to HTTP participants, over a
 * pluggable {@link dev.cohort.coordinator.http.HttpPoster} (the JDK client by default).
 */
package dev.cohort.coordinator.http;
