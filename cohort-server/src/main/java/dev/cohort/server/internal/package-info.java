/**
 * The server's implementation: routing, request validation, JSON views and metrics plumbing. Not an
 * API; use {@link dev.cohort.server.CohortServer}.
 */
package dev.cohort.server.internal;
