package dev.cohort.messaging.nats.internal;

import dev.cohort.messaging.Broker;
import dev.cohort.messaging.Message;
import io.nats.client.JetStreamApiException;
import io.nats.client.MessageConsumer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer of a durable JetStream consumer: the client's dispatcher only queues deliveries; a
 * worker thread of its own hands them to the handler in delivery order, as many as are waiting (up
 * to the batch size), acknowledges each one the handler handled and negatively acknowledges the
 * rest, which JetStream then delivers again. Closing stops the pulls, lets the batch in hand finish
 * and settle, and gives back what was still queued here.
 */
public final class Deliveries implements Broker.Subscription {
  /** How often an idle worker looks whether it was closed. */
  private static final Duration POLL = Duration.ofMillis(100);

  /** How long closing waits for the batch in hand. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

  private final String queue;
  private final Broker.BatchHandler handler;
  private final int batchSize;
  private final Subjects subjects;
  private final String stream;
  private final Consumer<Deliveries> onClose;
  private final BlockingQueue<io.nats.client.Message> waiting = new LinkedBlockingQueue<>();
  private volatile boolean closed;
  private Starter starter;
  private MessageConsumer consumer;
  private Thread worker;

  /** Starts pulling deliveries from the durable consumer into a handler. */
  @FunctionalInterface
  public interface Starter {
    MessageConsumer start(io.nats.client.MessageHandler handler)
        throws IOException, JetStreamApiException;
  }

  public Deliveries(
      String queue,
      Broker.BatchHandler handler,
      int batchSize,
      Subjects subjects,
      String stream,
      Consumer<Deliveries> onClose) {
    this.queue = queue;
    this.handler = handler;
    this.batchSize = batchSize;
    this.subjects = subjects;
    this.stream = stream;
    this.onClose = onClose;
  }

  /** What the client's dispatcher calls for each delivery. */
  private void deliver(io.nats.client.Message message) {
    // After close nobody takes it: JetStream delivers it again after the ack wait.
    if (!closed) {
      waiting.add(message);
    }
  }

  public void start(Starter starter) throws IOException, JetStreamApiException {
    this.starter = starter;
    this.consumer = starter.start(this::deliver);
    this.worker =
        Thread.ofPlatform().daemon().name("cohort-nats-consumer-" + queue).start(this::run);
  }

  /**
   * Pulls anew after a reconnect: the pull requests in flight died with the old connection (or the
   * restarted server). Deliveries already queued here stay; what the old pulls would still have
   * brought comes again after the ack wait.
   */
  public synchronized void renew() {
    if (closed) {
      return;
    }
    MessageConsumer old = consumer;
    try {
      old.stop();
      consumer = starter.start(this::deliver);
      old.close();
      LOG.debug("consumer of {} pulls again after a reconnect", queue);
    } catch (Exception e) {
      LOG.warn("consumer of {} could not pull again after a reconnect", queue, e);
    }
  }

  private void run() {
    List<io.nats.client.Message> batch = new ArrayList<>(batchSize);
    while (!closed) {
      io.nats.client.Message first;
      try {
        first = waiting.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return; // closing gave up waiting for the handler
      }
      if (first == null) {
        continue;
      }
      batch.clear();
      batch.add(first);
      waiting.drainTo(batch, batchSize - 1);
      settle(batch);
    }
  }

  private void settle(List<io.nats.client.Message> batch) {
    List<Message> messages = new ArrayList<>(batch.size());
    for (io.nats.client.Message d : batch) {
      messages.add(
          NatsMessages.toMessage(
              subjects.destination(d.getSubject()),
              d.getHeaders(),
              d.getData(),
              stream,
              d.metaData().streamSequence()));
    }
    int handled;
    try {
      handled = Math.clamp(handler.handle(messages), 0, batch.size());
    } catch (Exception | Error e) {
      // An Error too: the worker must live on, or the consumer's deliveries would stall unsettled.
      LOG.warn(
          "consumer of {} failed {} message(s) from {}; they will be redelivered",
          queue,
          batch.size(),
          messages.get(0).id(),
          e);
      handled = 0;
    }
    try {
      for (int i = 0; i < batch.size(); i++) {
        if (i < handled) {
          batch.get(i).ack();
        } else {
          batch.get(i).nak();
        }
      }
    } catch (RuntimeException e) {
      // The connection went away (server restart, close): JetStream delivers the unacknowledged
      // ones again after the consumer's ack wait, and the inbox skips those it already applied.
      LOG.debug("could not settle {} deliveries of {}: {}", batch.size(), queue, e.toString());
    }
  }

  @Override
  public void close() {
    MessageConsumer consumer;
    synchronized (this) {
      if (closed) {
        return;
      }
      consumer = this.consumer;
      closed = true;
    }
    try {
      consumer.stop();
    } catch (RuntimeException e) {
      LOG.debug("stopping the consumer of {} failed", queue, e);
    }
    if (worker != Thread.currentThread()) {
      try {
        worker.join(CLOSE_WAIT);
        if (worker.isAlive()) {
          LOG.warn("the consumer of {} did not finish its batch within {}", queue, CLOSE_WAIT);
          worker.interrupt();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // Handed to us but never to the handler: back to JetStream at once rather than after the
    // ack wait. Only those queued now: the pull still open may bring a message given back here
    // again, and giving that copy back too made JetStream deliver it twice to the next consumer.
    List<io.nats.client.Message> unhandled = new ArrayList<>();
    waiting.drainTo(unhandled);
    for (io.nats.client.Message m : unhandled) {
      try {
        m.nak();
      } catch (RuntimeException e) {
        LOG.debug("could not give back a delivery of {}: {}", queue, e.toString());
        break;
      }
    }
    try {
      consumer.close();
    } catch (Exception e) {
      LOG.debug("closing the consumer of {} failed", queue, e);
    }
    onClose.accept(this);
  }
}
