/**
 * What a participant service installs: the {@link dev.cohort.participant.Barrier} that makes branch
 * operations idempotent and safe against empty rollback and hanging in the service's own database,
 * and {@link dev.cohort.participant.ParticipantEndpoint}, which serves the coordinator's signed
 * calls (signature check, barrier, status codes). docs/participants.md shows how to write one.
 * Never depends on the engine.
 */
package dev.cohort.participant;
