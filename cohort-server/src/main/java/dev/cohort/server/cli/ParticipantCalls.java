package dev.cohort.server.cli;

import dev.cohort.protocol.CallSignature;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How {@code cohort server} calls participants, from its options.
 *
 * @param signer signs each call; null: unsigned
 * @param trustedCertificates PEM file of the CA {@code https} participants chain to; null: the
 *     JDK's public CAs
 */
public record ParticipantCalls(
    CallSignature signer,
    Duration callTimeout,
    ParticipantClient client,
    Path trustedCertificates) {}
