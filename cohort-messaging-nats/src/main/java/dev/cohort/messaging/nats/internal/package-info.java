/** How {@code NatsBroker} maps messages to NATS and consumes them. Not an API. */
package dev.cohort.messaging.nats.internal;
