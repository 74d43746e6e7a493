/**
 * The wire protocol of docs/protocol.md in one place: the branch encoding ({@link
 * dev.cohort.protocol.HttpTarget}), the operation names ({@link dev.cohort.protocol.Operation}) and
 * the HMAC signature of coordinator-to-participant calls ({@link
 * dev.cohort.protocol.CallSignature}). The SDK, the participant side and the coordinator all use
 * this module, so they cannot drift apart.
 */
package dev.cohort.protocol;
