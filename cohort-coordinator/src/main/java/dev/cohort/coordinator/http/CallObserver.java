package dev.cohort.coordinator.http;

import java.net.URI;
import java.time.Duration;

/**
 * Told about every HTTP exchange an {@link HttpParticipant} makes (each poll of a try that answered
 * 425 included), so a server can record call latencies without cohort-client depending on a metrics
 * library. Called on the calling thread; keep it quick. An exception it throws is ignored.
 */
@FunctionalInterface
public interface CallObserver {
  /**
   * One exchange finished.
   *
   * @param op try, confirm, cancel, action or compensate
   * @param url the URL called
   * @param status the HTTP status, or -1 when there was no answer (timeout, connection error)
   * @param took from sending the request until the answer (or the failure)
   */
  void onCall(String op, URI url, int status, Duration took);
}
