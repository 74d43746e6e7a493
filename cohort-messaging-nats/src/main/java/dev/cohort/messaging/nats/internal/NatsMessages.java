package dev.cohort.messaging.nats.internal;

import dev.cohort.messaging.InvalidMessageException;
import dev.cohort.messaging.Message;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;

/** A {@link Message}'s fields as NATS headers, and a delivery back as a {@link Message}. */
public final class NatsMessages {
  /** JetStream drops a message whose id it saw within the stream's duplicate window. */
  public static final String ID_HEADER = "Nats-Msg-Id";

  public static final String KEY_HEADER = "cohort-key";
  public static final String TYPE_HEADER = "cohort-type";
  public static final String SAGA_HEADER = "cohort-saga";

  /** Destination and type of a delivery whose own fields could not be kept; the inbox parks it. */
  public static final String INVALID = "cohort.invalid";

  private NatsMessages() {}

  /** The headers of {@code m}, its id included. */
  public static Headers headers(Message m) {
    Headers h = new Headers();
    h.put(ID_HEADER, HeaderValues.encode(m.id()));
    h.put(KEY_HEADER, HeaderValues.encode(m.key()));
    h.put(TYPE_HEADER, HeaderValues.encode(m.type()));
    if (m.sagaId() != null) {
      h.put(SAGA_HEADER, HeaderValues.encode(m.sagaId()));
    }
    return h;
  }

  /**
   * The message as the outbox wrote it. A delivery from another producer may lack our fields: its
   * id is then the stream's name and sequence, the same on every redelivery; its type "unknown", so
   * the inbox parks it.
   */
  public static Message toMessage(
      String destination, Headers headers, byte[] body, String stream, long streamSequence) {
    String payload = new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8);
    String id = header(headers, ID_HEADER);
    if (id == null || id.isBlank() || id.length() > Message.MAX_ID_LENGTH) {
      id = "nats:" + stream + ":" + streamSequence;
    }
    String key = header(headers, KEY_HEADER);
    String type = header(headers, TYPE_HEADER);
    try {
      return new Message(
          id,
          destination,
          key == null ? id : key,
          type == null || type.isBlank() ? "unknown" : type,
          header(headers, SAGA_HEADER),
          payload);
    } catch (InvalidMessageException e) {
      // A field we cannot store (a subject with characters a destination may not have, an
      // oversized header): keep the body under a type no consumer handles, so the inbox parks it
      // instead of it looping forever.
      String own = "nats:" + stream + ":" + streamSequence;
      return new Message(own, INVALID, own, INVALID, null, payload);
    }
  }

  private static String header(Headers headers, String name) {
    String v = headers == null ? null : headers.getFirst(name);
    return v == null ? null : HeaderValues.decode(v);
  }
}
