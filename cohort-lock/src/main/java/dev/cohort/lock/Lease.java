package dev.cohort.lock;

import java.time.Instant;

/**
 * A held lease lock.
 *
 * @param lock the lock's name
 * @param owner who holds it
 * @param fencingToken this acquisition's token: larger than every earlier acquisition's of this
 *     lock; pass it to every write the lock protects ({@link FencedTable})
 * @param expiresAt when it lapses unless renewed (by the holder's clock)
 */
public record Lease(String lock, String owner, long fencingToken, Instant expiresAt) {}
