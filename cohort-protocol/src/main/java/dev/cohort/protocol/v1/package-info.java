/**
 * The coordinator API {@code /v1} (docs/protocol.md, "Coordinator API") in one place: its {@link
 * dev.cohort.protocol.v1.Endpoint endpoints} and paths, the JSON bodies and their codec, the {@link
 * dev.cohort.protocol.v1.ErrorCode error map}, and the one HTTP client for it ({@link
 * dev.cohort.protocol.v1.CoordinatorClient}).
 */
package dev.cohort.protocol.v1;
