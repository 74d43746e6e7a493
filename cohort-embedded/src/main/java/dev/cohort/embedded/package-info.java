/**
 * The SDK over a coordinator in this JVM: {@link dev.cohort.embedded.EmbeddedCohort} gives the same
 * {@link dev.cohort.client.Cohort} API as {@code Cohort.connect}, so code written against one
 * transport runs on the other.
 */
package dev.cohort.embedded;
