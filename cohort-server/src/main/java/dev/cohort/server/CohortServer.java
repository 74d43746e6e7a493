package dev.cohort.server;

import dev.cohort.api.Scheduler;
import dev.cohort.coordinator.AlertWebhook;
import dev.cohort.coordinator.CommitModes;
import dev.cohort.coordinator.Coordinator;
import dev.cohort.coordinator.CoordinatorListener;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.coordinator.SagaStep;
import dev.cohort.coordinator.TccParticipant;
import dev.cohort.coordinator.ThreePcParticipant;
import dev.cohort.coordinator.XaParticipant;
import dev.cohort.coordinator.mode.ModeProcessorFactory;
import dev.cohort.coordinator.mode.ParticipantKind;
import dev.cohort.coordinator.spi.TransactionStore;
import dev.cohort.protocol.HttpTarget;
import dev.cohort.protocol.v1.Role;
import dev.cohort.server.console.internal.ConsoleApp;
import dev.cohort.server.console.internal.ConsoleHandler;
import dev.cohort.server.internal.Access;
import dev.cohort.server.internal.Api;
import dev.cohort.server.internal.BodyReads;
import dev.cohort.server.internal.ConnectionGuard;
import dev.cohort.server.internal.ErrorMapper;
import dev.cohort.server.internal.HeaderReads;
import dev.cohort.server.internal.Health;
import dev.cohort.server.internal.Router;
import dev.cohort.server.internal.TlsHandshakes;
import dev.cohort.server.internal.TransportErrors;
import io.helidon.common.socket.SocketOptions;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone coordinator: an engine on a durable log, served over the {@code /v1} HTTP API of
 * docs/protocol.md.
 *
 * <pre>{@code
 * try (CohortServer server = CohortServer.builder(JdbcTransactionStore.sqlite(path))
 *         .httpParticipant(participant)   // calls the participant URLs branches register
 *         .token(operatorToken)           // and/or accessToken(AccessToken.reader("dash", ...))
 *         .build()
 *         .start()) {
 *   ... server.port() ...
 * }
 * }</pre>
 *
 * The server owns the log it is given and closes it with itself.
 */
public final class CohortServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CohortServer.class);

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7070;

  /** How often the TLS files are checked for a renewed certificate. */
  public static final Duration DEFAULT_TLS_RELOAD_CHECK = Duration.ofMinutes(1);

  /** A keep-alive connection idle this long is closed. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * A request whose headers have not all arrived this long after its request line has its
   * connection closed (the time before the request line is the idle timeout's).
   */
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);

  /**
   * A TLS connection that has not finished its handshake and sent its first request line this long
   * after it was accepted is closed (docs/server.md, "TLS").
   */
  public static final Duration DEFAULT_TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  /** A request body from which no byte arrives for this long has its connection closed. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

  /**
   * At most this many connections from one client address at once; more are answered 429 and
   * closed. High enough for a connection pool per client process; behind a proxy every client has
   * the proxy's address, so raise it there (or set 0: no cap).
   */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 256;

  /** The id of the operator token given with {@link Builder#token} (or generated). */
  public static final String OPERATOR_TOKEN_ID = "operator";

  private final TransactionStore store;
  private final String host;
  private final int requestedPort;
  private final String token;
  private final boolean tokenGenerated;
  private final List<AccessToken> fixedTokens;
  private final Access access;
  private final boolean openMetrics;
  private final BodyReads bodyReads;
  private final HeaderReads headerReads;
  private final TlsHandshakes tlsHandshakes;
  private final Scheduler edgeScheduler;
  private final int maxConnectionsPerClient;
  private final ServerMetrics metrics;
  private final Coordinator coordinator;
  private final Clock clock;
  private final Object httpParticipant;
  private final List<Object> modeParticipants;
  private final ServerTls tls;
  private final Duration tlsReloadCheck;
  private final Scheduler tlsScheduler;
  private FileTime tlsLoadedAt;
  private final Duration idleTimeout;
  private WebServer web;

  private CohortServer(Builder b) {
    this.store = b.store;
    this.host = b.host;
    this.requestedPort = b.port;
    List<AccessToken> tokens = new ArrayList<>(b.tokens);
    String operator = b.token;
    if (operator == null) {
      operator =
          Stream.concat(tokens.stream(), b.reloadableTokens.stream())
              .filter(t -> t.role() == Role.OPERATOR)
              .map(AccessToken::secret)
              .findFirst()
              .orElse(null);
    }
    this.tokenGenerated = operator == null;
    this.token = tokenGenerated ? randomToken() : operator;
    if (b.token != null || tokenGenerated) {
      tokens.add(0, AccessToken.operator(OPERATOR_TOKEN_ID, token));
    }
    this.fixedTokens = List.copyOf(tokens);
    checkDistinct(fixedTokens, b.reloadableTokens);
    this.access = new Access(fixedTokens, b.reloadableTokens, b.participantKeys, b.clock);
    this.openMetrics = b.openMetrics;
    this.bodyReads = new BodyReads(b.readTimeout, System::nanoTime);
    this.headerReads = new HeaderReads(b.headerTimeout, System::nanoTime);
    this.tlsHandshakes = new TlsHandshakes(b.tlsHandshakeTimeout, System::nanoTime);
    this.edgeScheduler = Scheduler.system("cohort-http-edge");
    this.maxConnectionsPerClient = b.maxConnectionsPerClient;
    this.metrics =
        b.metrics != null
            ? b.metrics
            : new ServerMetrics(
                b.registry != null
                    ? b.registry
                    : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    this.clock = b.clock;
    this.httpParticipant = b.tccParticipant;
    this.modeParticipants = List.copyOf(b.modeParticipants.values());
    this.idleTimeout = b.idleTimeout;
    this.tls = b.tls;
    this.tlsReloadCheck = b.tlsReloadCheck;
    this.tlsScheduler =
        tls != null && !tlsReloadCheck.isZero() ? Scheduler.system("cohort-tls") : null;
    Coordinator.Builder engine =
        Coordinator.builder(store)
            .options(b.options)
            .clock(clock)
            .listener(listeners(metrics, b.listeners));
    b.modes.forEach(engine::mode);
    this.coordinator = engine.build();
    if (b.tccParticipant != null) {
      coordinator.registerTcc(HttpTarget.PARTICIPANT, b.tccParticipant);
      coordinator.registerSagaStep(HttpTarget.PARTICIPANT, b.sagaStep);
      // The commit protocols' HTTP branches, for the modes added with mode(...).
      if (b.tccParticipant instanceof XaParticipant xa) {
        coordinator.registerParticipant(CommitModes.XA, HttpTarget.PARTICIPANT, xa);
      }
      if (b.tccParticipant instanceof ThreePcParticipant threePc) {
        coordinator.registerParticipant(CommitModes.THREE_PC, HttpTarget.PARTICIPANT, threePc);
      }
    }
    b.modeParticipants.forEach((kind, participant) -> register(kind, participant));
    metrics.backlogSource(store::countByStatus);
  }

  private <T> void register(ParticipantKind<T> kind, Object participant) {
    coordinator.registerParticipant(kind, HttpTarget.PARTICIPANT, kind.type().cast(participant));
  }

  public static Builder builder(TransactionStore store) {
    return new Builder(store);
  }

  /**
   * Opens the log and accepts requests at once; unfinished transactions of an earlier run of this
   * node are resumed in the background ({@code GET /health} says {@code recovering} meanwhile).
   */
  public synchronized CohortServer start() {
    if (web != null) {
      throw new IllegalStateException("the server was already started on port " + web.port());
    }
    coordinator.start();
    Router router =
        new Router(
            new Api(coordinator, store, clock),
            new Health(coordinator),
            metrics,
            access,
            openMetrics,
            bodyReads,
            new ErrorMapper(coordinator));
    WebServerConfig.Builder server = WebServer.builder();
    if (tls != null) {
      tlsLoadedAt = tls.lastModified();
      server.tls(tls.load());
    }
    // The operator's web console (docs/console.md): its own handler, under /console only.
    ConsoleHandler console =
        new ConsoleHandler(new ConsoleApp(coordinator, store, access, clock), bodyReads);
    // The only selector (it wraps Helidon's HTTP/1.1 one): counts each connection (cap 0: none) and
    // watches its handshake and headers. Alone, it gets each connection before any byte arrives, so
    // the idle timeout covers a client that sends nothing; with a second one Helidon would first
    // wait for bytes to choose, unwatched.
    server.protocolsDiscoverServices(false);
    server.addConnectionSelector(
        new ConnectionGuard(maxConnectionsPerClient, headerReads, tlsHandshakes));
    web =
        server
            .host(host)
            .port(requestedPort)
            .shutdownHook(false)
            // NIO sockets (Helidon's default, set so that it stays): the TLS handshake then runs on
            // the connection's thread after the selector above was given the connection, so
            // TlsHandshakes can close one that stalls. Blocking sockets would do the handshake
            // first, where nothing of ours can see it.
            .useNio(true)
            // Small JSON answers go out in more than one write; with Nagle's algorithm on, the
            // second waits for the client's delayed ACK (measured: ~6 ms per request on loopback).
            .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
            // A keep-alive connection idle this long is closed, so idle clients cannot pile up.
            .idleConnectionTimeout(idleTimeout)
            .idleConnectionPeriod(idleTimeout.dividedBy(2))
            .directHandlers(TransportErrors::register)
            .routing(r ->
                r.any(ConsoleApp.PREFIX, console)
                    .any(ConsoleApp.PREFIX + "/*", console)
                    .any(router))
            .build()
            .start();
    if (tlsScheduler != null) {
      var unused = tlsScheduler.scheduleRepeatedly(tlsReloadCheck, this::reloadTlsIfChanged);
    }
    var unusedSweep = edgeScheduler.scheduleRepeatedly(bodyReads.sweepPeriod(), bodyReads::sweep);
    var unusedHeaders =
        edgeScheduler.scheduleRepeatedly(headerReads.sweepPeriod(), headerReads::sweep);
    if (tls != null) {
      var unusedHandshakes =
          edgeScheduler.scheduleRepeatedly(tlsHandshakes.sweepPeriod(), tlsHandshakes::sweep);
    }
    return this;
  }

  /**
   * Reads the TLS files again and serves the new certificate to new connections (open ones keep
   * theirs). Called on a schedule when the files change ({@link Builder#tlsReloadCheck}); call it
   * yourself after renewing the files to apply them at once.
   *
   * @throws IllegalStateException if the server has no TLS or is not started
   * @throws IllegalArgumentException if the files cannot be read; the old certificate stays
   */
  public synchronized void reloadTls() {
    if (tls == null) {
      throw new IllegalStateException("the server was built without TLS; nothing to reload");
    }
    if (web == null) {
      throw new IllegalStateException("the server is not started; call start() first");
    }
    FileTime stamp = tls.lastModified();
    web.reloadTls(tls.load());
    tlsLoadedAt = stamp;
    LOG.info("TLS certificate reloaded from {}", tls.certificateChain());
  }

  private synchronized void reloadTlsIfChanged() {
    if (web == null || tls.lastModified().equals(tlsLoadedAt)) {
      return;
    }
    try {
      reloadTls();
    } catch (RuntimeException e) {
      // A half-written renewal must not take the listener down: keep serving the old certificate
      // and try again at the next check.
      LOG.warn("TLS files changed but cannot be loaded yet; keeping the current certificate", e);
    }
  }

  /**
   * Replaces the tokens given with {@link Builder#reloadableTokens} (or the last call of this) by
   * {@code tokens}, for every request from now on: a removed token is refused at once. The
   * builder's other tokens stay. {@code cohort server --tokens-file} calls it when the file
   * changed.
   *
   * @throws IllegalArgumentException when two tokens would share an id or a secret; the current
   *     tokens stay
   */
  public synchronized void reloadTokens(List<AccessToken> tokens) {
    List<AccessToken> copy = List.copyOf(tokens);
    checkDistinct(fixedTokens, copy);
    access.reload(copy);
  }

  /** Whether the listener speaks TLS ({@code https}). */
  public boolean tls() {
    return tls != null;
  }

  /** The bound port (the ephemeral one when the builder said 0). */
  public int port() {
    if (web == null) {
      throw new IllegalStateException("the server is not started; call start() first");
    }
    return web.port();
  }

  public String host() {
    return host;
  }

  /**
   * The operator token: the one given with {@link Builder#token}, else the first operator {@link
   * AccessToken}, else a random one.
   */
  public String token() {
    return token;
  }

  /** Whether {@link #token()} was generated (so the command line prints it once). */
  public boolean tokenGenerated() {
    return tokenGenerated;
  }

  /** The engine behind the API, e.g. for {@code pollNow()} in tests or embedding. */
  public Coordinator coordinator() {
    return coordinator;
  }

  public ServerMetrics metrics() {
    return metrics;
  }

  /** Stops accepting requests, then stops the engine and closes the log. */
  @Override
  public synchronized void close() {
    try {
      if (tlsScheduler != null) {
        tlsScheduler.close();
      }
      edgeScheduler.close();
      if (web != null) {
        web.stop();
      }
    } finally {
      try {
        coordinator.close();
      } finally {
        try {
          store.close();
        } finally {
          closeParticipant(httpParticipant);
          modeParticipants.stream().distinct().forEach(CohortServer::closeParticipant);
        }
      }
    }
  }

  /** The participant caller is the server's too (HttpParticipant holds an HTTP client). */
  private static void closeParticipant(Object participant) {
    if (participant instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.warn("closing the HTTP participant failed", e);
      }
    }
  }

  /** Two tokens with one id would make the audit trail ambiguous; one secret twice, the role. */
  private static void checkDistinct(List<AccessToken> fixed, List<AccessToken> reloadable) {
    Set<String> ids = new HashSet<>();
    Set<String> secrets = new HashSet<>();
    List<AccessToken> tokens = new ArrayList<>(fixed);
    tokens.addAll(reloadable);
    for (AccessToken t : tokens) {
      if (!ids.add(t.id())) {
        throw new IllegalArgumentException(
            "two tokens have the id '"
                + t.id()
                + "'"
                + (t.id().equals(OPERATOR_TOKEN_ID)
                    ? " (the id of the token given with token(...) / --token)"
                    : "")
                + "; give each token its own id");
      }
      if (!secrets.add(t.secret())) {
        throw new IllegalArgumentException(
            "token '" + t.id() + "' has the same secret as another token; give each its own");
      }
    }
  }

  private static String randomToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static CoordinatorListener listeners(
      ServerMetrics metrics, List<CoordinatorListener> more) {
    if (more.isEmpty()) {
      return metrics;
    }
    List<CoordinatorListener> all = new ArrayList<>();
    all.add(metrics);
    all.addAll(more);
    return CoordinatorListener.all(all);
  }

  /** Configures a server; only the log is required. */
  public static final class Builder {
    private final TransactionStore store;
    private CoordinatorOptions options = CoordinatorOptions.defaults();
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private String token;
    private final List<AccessToken> tokens = new ArrayList<>();
    private List<AccessToken> reloadableTokens = List.of();
    private final List<ParticipantKey> participantKeys = new ArrayList<>();
    private boolean openMetrics;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private Duration headerTimeout = DEFAULT_HEADER_TIMEOUT;
    private Duration tlsHandshakeTimeout = DEFAULT_TLS_HANDSHAKE_TIMEOUT;
    private int maxConnectionsPerClient = DEFAULT_MAX_CONNECTIONS_PER_CLIENT;
    private PrometheusMeterRegistry registry;
    private ServerMetrics metrics;
    private Clock clock = Clock.systemUTC();
    private TccParticipant tccParticipant;
    private SagaStep sagaStep;
    private ServerTls tls;
    private Duration tlsReloadCheck = DEFAULT_TLS_RELOAD_CHECK;
    private final List<ModeProcessorFactory> modes = new ArrayList<>();
    private final List<CoordinatorListener> listeners = new ArrayList<>();
    private final Map<ParticipantKind<?>, Object> modeParticipants = new LinkedHashMap<>();
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;

    private Builder(TransactionStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** The engine's options (node id, timeouts, backoff, leases). */
    public Builder options(CoordinatorOptions value) {
      this.options = Objects.requireNonNull(value, "options");
      return this;
    }

    /** The address to bind; 127.0.0.1 by default, so nothing is exposed unless asked. */
    public Builder host(String value) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("host must be an address or name, e.g. 0.0.0.0");
      }
      this.host = value;
      return this;
    }

    /** The port to bind, 7070 by default; 0 picks a free one ({@link CohortServer#port()}). */
    public Builder port(int value) {
      if (value < 0 || value > 65_535) {
        throw new IllegalArgumentException(
            "port must be 0..65535 (0: any free port), was " + value);
      }
      this.port = value;
      return this;
    }

    /**
     * The operator token, with the id {@value CohortServer#OPERATOR_TOKEN_ID} (what {@code --token}
     * sets). Without it and without an operator {@link #accessToken}, the server makes a random one
     * ({@link CohortServer#token()}).
     */
    public Builder token(String value) {
      if (value != null && (value.isBlank() || value.length() < 16)) {
        throw new IllegalArgumentException(
            "the API token must have at least 16 characters (a random one is best), had "
                + value.length());
      }
      this.token = value;
      return this;
    }

    /**
     * One more token the server accepts, with its role; call once per token. Several tokens per
     * role let a token be rotated: add the new one, move its users, remove the old one.
     */
    public Builder accessToken(AccessToken value) {
      tokens.add(Objects.requireNonNull(value, "token"));
      return this;
    }

    /**
     * The first set of tokens that {@link CohortServer#reloadTokens} replaces later, e.g. those of
     * a tokens file; they count like {@link #accessToken} ones until then.
     */
    public Builder reloadableTokens(List<AccessToken> value) {
      this.reloadableTokens = List.copyOf(value);
      return this;
    }

    /**
     * A participant's own key and hosts: its signed outcome queries are answered for gids with a
     * branch on those hosts (docs/protocol.md, "Signed requests").
     */
    public Builder participantKey(ParticipantKey value) {
      Objects.requireNonNull(value, "participantKey");
      if (participantKeys.stream().anyMatch(k -> k.keyId().equals(value.keyId()))) {
        throw new IllegalArgumentException(
            "participant key id '" + value.keyId() + "' is given twice; each key needs its own id");
      }
      participantKeys.add(value);
      return this;
    }

    /**
     * Whether {@code GET /metrics} answers without a token, for a scraper that cannot send one
     * (off: it needs a reader token, like every other read).
     */
    public Builder openMetrics(boolean value) {
      this.openMetrics = value;
      return this;
    }

    /** See {@link #DEFAULT_READ_TIMEOUT}. */
    public Builder readTimeout(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(
            "the read timeout must be a positive duration, e.g. PT30S, was " + value);
      }
      this.readTimeout = value;
      return this;
    }

    /** See {@link #DEFAULT_HEADER_TIMEOUT}. */
    public Builder headerTimeout(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(
            "the header timeout must be a positive duration, e.g. PT10S, was " + value);
      }
      this.headerTimeout = value;
      return this;
    }

    /** See {@link CohortServer#DEFAULT_TLS_HANDSHAKE_TIMEOUT}; applies with {@link #tls} only. */
    public Builder tlsHandshakeTimeout(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(
            "the TLS handshake timeout must be a positive duration, e.g. PT10S, was " + value);
      }
      this.tlsHandshakeTimeout = value;
      return this;
    }

    /** See {@link #DEFAULT_MAX_CONNECTIONS_PER_CLIENT}; 0: no cap. */
    public Builder maxConnectionsPerClient(int value) {
      if (value < 0) {
        throw new IllegalArgumentException(
            "maxConnectionsPerClient must be 0 (no cap) or positive, was " + value);
      }
      this.maxConnectionsPerClient = value;
      return this;
    }

    /** Where metrics go; a private registry by default (still scraped on /metrics). */
    public Builder registry(PrometheusMeterRegistry value) {
      this.registry = Objects.requireNonNull(value, "registry");
      return this;
    }

    /**
     * The metrics object, when it was created first to observe the log's flushes ({@code
     * JdbcTransactionStore.sqlite(path, metrics::onFlush)}); overrides {@link #registry}.
     */
    public Builder metrics(ServerMetrics value) {
      this.metrics = Objects.requireNonNull(value, "metrics");
      return this;
    }

    /** See {@link #DEFAULT_IDLE_TIMEOUT}. */
    public Builder idleTimeout(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(
            "the idle timeout must be a positive duration, e.g. PT30S, was " + value);
      }
      this.idleTimeout = value;
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * What calls the participant URLs of HTTP branches, registered under {@link
     * HttpTarget#PARTICIPANT} for both modes, e.g. cohort-client's {@code HttpParticipant}; closed
     * with the server when it is {@link AutoCloseable}. Without one, branches are refused with 503.
     */
    public <P extends TccParticipant & SagaStep> Builder httpParticipant(P participant) {
      Objects.requireNonNull(participant, "participant");
      this.tccParticipant = participant;
      this.sagaStep = participant;
      return this;
    }

    /** Serves {@code https} with this certificate and key instead of plain HTTP. */
    public Builder tls(ServerTls value) {
      this.tls = Objects.requireNonNull(value, "tls");
      return this;
    }

    /**
     * How often the TLS files are checked for a change, which is then loaded ({@link
     * CohortServer#reloadTls()}); {@link CohortServer#DEFAULT_TLS_RELOAD_CHECK} by default, zero to
     * never.
     */
    public Builder tlsReloadCheck(Duration value) {
      if (value == null || value.isNegative()) {
        throw new IllegalArgumentException(
            "tlsReloadCheck must be zero (never) or positive, was " + value);
      }
      this.tlsReloadCheck = value;
      return this;
    }

    /**
     * A mode beyond TCC and saga, e.g. {@code CommitModes.twoPhase()} and {@code
     * CommitModes.threePhase()} for XA and 3PC branches over HTTP (the HTTP participant is
     * registered for them when it speaks them, as {@code HttpParticipant} does).
     */
    public Builder mode(ModeProcessorFactory factory) {
      modes.add(Objects.requireNonNull(factory, "factory"));
      return this;
    }

    /**
     * Hears what the engine does, beside the server's own metrics; e.g. an {@link AlertWebhook} for
     * FAILED transactions. Each listener is guarded on its own.
     */
    public Builder listener(CoordinatorListener value) {
      listeners.add(Objects.requireNonNull(value, "listener"));
      return this;
    }

    /**
     * The HTTP participant of a mode added with {@link #mode}, registered under {@link
     * HttpTarget#PARTICIPANT} for {@code kind}, e.g. cohort-message-mode's {@code
     * HttpMessageParticipant} for {@code ReliableMessageMode.CHECKS} and {@code RECEIVERS}; closed
     * with the server when it is {@link AutoCloseable}.
     */
    public <T> Builder httpParticipant(ParticipantKind<T> kind, T participant) {
      Objects.requireNonNull(kind, "kind");
      modeParticipants.put(kind, Objects.requireNonNull(participant, "participant"));
      return this;
    }

    public CohortServer build() {
      return new CohortServer(this);
    }
  }
}
