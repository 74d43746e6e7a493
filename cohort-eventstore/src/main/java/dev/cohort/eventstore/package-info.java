/**
 * An event store on PostgreSQL, MariaDB or SQLite. Start at {@link
 * dev.cohort.eventstore.EventStore}; docs/eventstore.md is the guide.
 */
package dev.cohort.eventstore;
