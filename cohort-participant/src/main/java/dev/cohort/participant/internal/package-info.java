/**
 * Implementation of the barrier: the decision logic and the SQL per database. Not an API: anything
 * here may change in any release. Use {@link dev.cohort.participant.Barrier}.
 */
package dev.cohort.participant.internal;
