/**
 * HTTP participants, both sides of docs/protocol.md "Participant calls": {@link
 * dev.cohort.client.http.HttpParticipant} makes the coordinator's signed calls, {@link
 * dev.cohort.client.http.ParticipantEndpoint} serves them in a participant (signature check,
 * barrier, status codes). docs/participants.md shows how to write one.
 */
package dev.cohort.client.http;
