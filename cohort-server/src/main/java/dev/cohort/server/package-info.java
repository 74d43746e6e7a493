/**
 * The standalone coordinator: {@link dev.cohort.server.CohortServer} serves the engine over the
 * {@code /v1} HTTP API of docs/protocol.md, with Prometheus metrics ({@link
 * dev.cohort.server.ServerMetrics}).
 */
package dev.cohort.server;
