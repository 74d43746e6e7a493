/**
 * The model every Cohort module shares: ids, modes, the status machines of global transactions and
 * branches, the context a participant receives, and the typed exceptions. JDK only, so that clients
 * in any framework can depend on it.
 */
package dev.cohort.api;
