/** Implementation of the chaos checker; not an API, it may change in any release. */
package dev.cohort.chaos.internal;
