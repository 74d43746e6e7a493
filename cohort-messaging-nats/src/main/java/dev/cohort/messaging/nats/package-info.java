/**
 * The {@link dev.cohort.messaging.Broker} on NATS JetStream: {@link
 * dev.cohort.messaging.nats.NatsBroker}. A service on NATS adds this module next to {@code
 * cohort-messaging}; it brings the NATS client and not the RabbitMQ one.
 */
package dev.cohort.messaging.nats;
