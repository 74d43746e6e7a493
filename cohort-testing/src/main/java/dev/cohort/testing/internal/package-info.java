/** Implementation of cohort-testing; not an API: it may change in any release. */
package dev.cohort.testing.internal;
