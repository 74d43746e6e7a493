/**
 * Reliable messages for participant services: the transactional {@link dev.cohort.messaging.Outbox}
 * and its {@link dev.cohort.messaging.Relay} to a {@link dev.cohort.messaging.Broker} ({@link
 * dev.cohort.messaging.RabbitBroker}), the idempotent {@link dev.cohort.messaging.Inbox}, the
 * choreography tracker and the reconciliation scanner, all on {@link
 * dev.cohort.messaging.MessagingTables} in the service's own database. Never the engine.
 */
package dev.cohort.messaging;
