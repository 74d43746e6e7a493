package dev.cohort.server.cli;

/** The HTTP client the server calls participants with ({@code --participant-client}). */
public enum ParticipantClient {
  /** Helidon's blocking WebClient: about a third of the JDK client's CPU per call. */
  HELIDON,
  /** The JDK {@code HttpClient}: for comparison, or if the other misbehaves somewhere. */
  JDK,
  /**
   * Plain keep-alive sockets on the calling thread for {@code http} participants (no watcher thread
   * per pooled connection), Helidon's WebClient for {@code https} ones.
   */
  SOCKET
}
