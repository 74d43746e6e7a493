package dev.cohort.server.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cohort.api.Scheduler;
import dev.cohort.coordinator.AlertWebhook;
import dev.cohort.coordinator.CommitModes;
import dev.cohort.coordinator.CoordinatorOptions;
import dev.cohort.jdbc.Database;
import dev.cohort.messagemode.ReliableMessageMode;
import dev.cohort.protocol.CallSignature;
import dev.cohort.server.AccessToken;
import dev.cohort.server.CohortServer;
import dev.cohort.server.ServerMetrics;
import dev.cohort.server.ServerTls;
import dev.cohort.store.jdbc.JdbcTransactionStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cohort server}: runs the coordinator until the process is stopped. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = "Runs the standalone coordinator (HTTP API /v1, /health, /metrics).")
final class ServeCommand implements Callable<Integer> {
  private final Map<String, String> env;
  private final ParticipantWiring wiring;

  @Spec CommandSpec spec;

  @Option(
      names = "--store",
      defaultValue = "sqlite:cohort-log.db",
      description =
          "The transaction log: sqlite:PATH, postgres:JDBC_URL or mariadb:JDBC_URL"
              + " (default: ${DEFAULT-VALUE}).")
  String store;

  @Option(names = "--user", description = "Database user (postgres, mariadb).")
  String user;

  @Option(
      names = "--password",
      description = "Database password (postgres, mariadb); or env COHORT_DB_PASSWORD.")
  String password;

  @Option(
      names = "--host",
      defaultValue = CohortServer.DEFAULT_HOST,
      description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "" + CohortServer.DEFAULT_PORT,
      description = "Port to bind (default: ${DEFAULT-VALUE}; 0 for any free port).")
  int port;

  @Option(
      names = "--token",
      description =
          "The operator token (id 'operator'); or env COHORT_TOKEN; random (printed once) when"
              + " neither it nor an operator token in --tokens-file is given.")
  String token;

  @Option(
      names = "--reader-token",
      description = "A reader token (id 'reader'): reads only; or env COHORT_READER_TOKEN.")
  String readerToken;

  @Option(
      names = "--client-token",
      description =
          "A client token (id 'client'): runs transactions, cannot retry or resolve; or env"
              + " COHORT_CLIENT_TOKEN.")
  String clientToken;

  @Option(
      names = "--tokens-file",
      description =
          "File of tokens, one per line: ROLE ID SECRET (role reader, client or operator);"
              + " several per role for rotation; a line starting with '#' is a comment.")
  Path tokensFile;

  @Option(
      names = "--tokens-reload-check",
      defaultValue = "PT10S",
      description =
          "How often --tokens-file is read again; a changed file replaces its tokens (a bad one"
              + " keeps them and logs an error), ISO-8601; PT0S: never (default:"
              + " ${DEFAULT-VALUE}).")
  Duration tokensReloadCheck;

  @Option(
      names = "--participant-keys",
      description =
          "File of participants' own keys for their signed outcome queries, one per line:"
              + " KEY_ID KEY_FILE HOST[:PORT][,HOST[:PORT]...]")
  Path participantKeys;

  @Option(
      names = "--open-metrics",
      description = "Serve GET /metrics without a token (default: a reader token is needed).")
  boolean openMetrics;

  @Option(
      names = "--read-timeout",
      description =
          "A request body from which no byte arrives this long has its connection closed,"
              + " ISO-8601 (default: PT30S).")
  Duration readTimeout;

  @Option(
      names = "--header-timeout",
      description =
          "A request whose headers have not all arrived this long after its request line has its"
              + " connection closed, ISO-8601 (default: PT10S).")
  Duration headerTimeout;

  @Option(
      names = "--max-connections-per-client",
      description =
          "Connections one client address may hold at once; more are answered 429 and closed;"
              + " 0: no cap (default: 256).")
  Integer maxConnectionsPerClient;

  @Option(
      names = "--node-id",
      description = "This node's id in the log's leases (default: host name); unique per node.")
  String nodeId;

  @Option(names = "--signing-key-id", description = "Key id to sign participant calls with.")
  String signingKeyId;

  @Option(
      names = "--signing-key-file",
      description = "File holding the signing key (at least 32 bytes, used as is).")
  Path signingKeyFile;

  @Option(
      names = "--call-timeout",
      defaultValue = "PT10S",
      description = "Timeout of one participant call, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration callTimeout;

  @Option(
      names = "--tls-cert",
      description =
          "PEM certificate chain to serve https with (with --tls-key); reloaded when it changes.")
  Path tlsCert;

  @Option(names = "--tls-key", description = "PEM private key of --tls-cert (unencrypted).")
  Path tlsKey;

  @Option(
      names = "--tls-reload-check",
      defaultValue = "PT1M",
      description =
          "How often the TLS files are checked for a renewal, ISO-8601; PT0S: never (default:"
              + " ${DEFAULT-VALUE}).")
  Duration tlsReloadCheck;

  @Option(
      names = "--tls-handshake-timeout",
      description =
          "A TLS connection that has not finished its handshake and sent its first request line"
              + " this long after it was accepted is closed, ISO-8601 (default: PT10S).")
  Duration tlsHandshakeTimeout;

  @Option(
      names = "--participant-ca",
      description =
          "PEM file of the CA that https participants' certificates chain to (default: the JDK's"
              + " public CAs); host names are verified either way.")
  Path participantCa;

  @Option(
      names = "--participant-client",
      defaultValue = "socket",
      description =
          "HTTP client for participant calls: socket (default: plain keep-alive sockets for"
              + " http, helidon for https), helidon (Helidon's WebClient) or jdk"
              + " (java.net.http).")
  ParticipantClient participantClient;

  @Option(
      names = "--lease",
      description =
          "How long this node's claim on a transaction keeps other nodes away; a dead node's work"
              + " is taken over after it, ISO-8601 (default: PT30S).")
  Duration lease;

  @Option(
      names = "--poll-interval",
      description = "How often due retries and expired leases are claimed (default: PT1S).")
  Duration pollInterval;

  @Option(
      names = "--idle-timeout",
      description = "A keep-alive connection idle this long is closed, ISO-8601 (default: PT30S).")
  Duration idleTimeout;

  @Option(
      names = "--retention",
      description =
          "How long finished transactions stay queryable before the purge (default: P7D).")
  Duration retention;

  @Option(
      names = "--saga-progress-every",
      description =
          "A saga's step successes ride with its next write unless this long passed since its"
              + " last one, ISO-8601 (default: PT1S; PT0S writes each success before the next"
              + " step). After a crash the steps not yet written are called again.")
  Duration sagaProgressEvery;

  @Option(
      names = "--attempts-kept",
      description =
          "Calls the attempt history keeps per branch and operation, 1..1000; a newer call"
              + " replaces the oldest (default: 10).")
  Integer attemptsKept;

  @Option(
      names = "--text-indexes",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Keep the log's text indexes, which make the console's search for rare text in a large"
              + " log fast and cost every write of the log; --no-text-indexes searches by"
              + " scanning rows instead (default: kept).")
  boolean textIndexes = true;

  @Option(
      names = "--alert-webhook",
      description =
          "POST every transaction that becomes FAILED to this http(s) URL as JSON"
              + " (docs/server.md); retried 5 times with doubling pauses from 500 ms.")
  URI alertWebhook;

  @Option(
      names = "--await-final-write",
      negatable = true,
      defaultValue = "false",
      description =
          "Answer only once the end-of-transaction write is durable (default: ${DEFAULT-VALUE}:"
              + " the decision is durable before any participant hears it; the final write is"
              + " queued, and if it is lost recovery repeats phase two, which participants"
              + " absorb through the barrier).")
  boolean awaitFinalWrite;

  private static final int MAX_ATTEMPTS_KEPT = 1_000;
  private static final int ALERT_ATTEMPTS = 5;
  private static final Duration ALERT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration ALERT_BACKOFF = Duration.ofMillis(500);

  /** A usage error before anything is opened: a timeout that is not positive, or without TLS. */
  private void checkTlsHandshakeTimeout() {
    if (tlsHandshakeTimeout == null) {
      return;
    }
    if (tlsHandshakeTimeout.isNegative() || tlsHandshakeTimeout.isZero()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--tls-handshake-timeout must be a positive duration, e.g. PT10S; was "
              + tlsHandshakeTimeout);
    }
    if (tlsCert == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--tls-handshake-timeout applies to a TLS listener only: give --tls-cert and --tls-key"
              + " too, or leave it out");
    }
  }

  ServeCommand(Map<String, String> env, ParticipantWiring wiring) {
    this.env = env;
    this.wiring = wiring;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (attemptsKept != null && (attemptsKept < 1 || attemptsKept > MAX_ATTEMPTS_KEPT)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--attempts-kept must be a whole number from 1 to "
              + MAX_ATTEMPTS_KEPT
              + " (calls kept per branch and operation in the attempt history); was "
              + attemptsKept);
    }
    checkTlsHandshakeTimeout();
    StoreSpec storeSpec = StoreSpec.parse(store);
    CallSignature signer = signer();
    String apiToken = token != null ? token : env.get("COHORT_TOKEN");
    String dbPassword = password != null ? password : env.get("COHORT_DB_PASSWORD");
    ServerMetrics metrics =
        new ServerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    JdbcTransactionStore log = open(storeSpec, dbPassword, metrics);
    CoordinatorOptions.Builder options = CoordinatorOptions.newBuilder();
    options.nodeId(nodeId != null ? nodeId : defaultNodeId());
    options.awaitFinalWrite(awaitFinalWrite);
    if (lease != null) {
      options.lease(lease);
    }
    if (pollInterval != null) {
      options.pollInterval(pollInterval);
    }
    if (retention != null) {
      options.retention(retention);
    }
    if (sagaProgressEvery != null) {
      options.sagaProgressEvery(sagaProgressEvery);
    }
    CohortServer.Builder builder =
        CohortServer.builder(log)
            .host(host)
            .port(port)
            .token(apiToken)
            .metrics(metrics)
            .options(options.build())
            // XA (2PC) and 3PC branches over HTTP run beside TCC and saga (docs/xa-and-3pc.md).
            .mode(CommitModes.twoPhase())
            .mode(CommitModes.threePhase())
            // Reliable messages with their check-back over HTTP (docs/protocol.md).
            .mode(ReliableMessageMode.Processor::new);
    if (idleTimeout != null) {
      builder.idleTimeout(idleTimeout);
    }
    if (alertWebhook != null) {
      builder.listener(
          new AlertWebhook(alertWebhook, ALERT_ATTEMPTS, ALERT_TIMEOUT, ALERT_BACKOFF));
    }
    if (readTimeout != null) {
      builder.readTimeout(readTimeout);
    }
    if (headerTimeout != null) {
      builder.headerTimeout(headerTimeout);
    }
    if (maxConnectionsPerClient != null) {
      builder.maxConnectionsPerClient(maxConnectionsPerClient);
    }
    builder.openMetrics(openMetrics);
    String reader = readerToken != null ? readerToken : env.get("COHORT_READER_TOKEN");
    if (reader != null) {
      builder.accessToken(AccessToken.reader("reader", reader));
    }
    String client = clientToken != null ? clientToken : env.get("COHORT_CLIENT_TOKEN");
    if (client != null) {
      builder.accessToken(AccessToken.client("client", client));
    }
    // The file's tokens are reloadable: the server is built with them and replaces them when the
    // file changes (server.reloadTokens, through a holder: the server does not exist yet).
    CohortServer[] built = new CohortServer[1];
    TokensFileReload tokensReload =
        tokensFile == null
            ? null
            : TokensFileReload.start(tokensFile, tokens -> built[0].reloadTokens(tokens));
    if (tokensReload != null) {
      builder.reloadableTokens(tokensReload.initial());
    }
    if (participantKeys != null) {
      AccessFiles.participantKeys(participantKeys).forEach(builder::participantKey);
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--tls-cert and --tls-key go together: give both or neither");
    }
    if (tlsCert != null) {
      builder.tls(ServerTls.pem(tlsCert, tlsKey)).tlsReloadCheck(tlsReloadCheck);
      if (tlsHandshakeTimeout != null) {
        builder.tlsHandshakeTimeout(tlsHandshakeTimeout);
      }
    }
    wiring.wire(
        builder,
        new ParticipantCalls(signer, callTimeout, participantClient, participantCa),
        metrics);
    CohortServer server = builder.build().start();
    built[0] = server;
    Scheduler tokensScheduler =
        tokensReload != null && !tokensReloadCheck.isZero()
            ? Scheduler.system("cohort-tokens-reload")
            : null;
    if (tokensScheduler != null) {
      var unused = tokensScheduler.scheduleRepeatedly(tokensReloadCheck, tokensReload::check);
    }
    out.println(
        "cohort server listening on "
            + (server.tls() ? "https" : "http")
            + "://"
            + host
            + ":"
            + server.port()
            + " (log "
            + storeSpec.display()
            + ")");
    if (server.tokenGenerated()) {
      out.println(
          "operator token (shown once; pass it with --token or COHORT_TOKEN next time): "
              + server.token());
    }
    if (signer == null) {
      out.println(
          "warning: participant calls are unsigned; give --signing-key-id and --signing-key-file"
              + " so participants can tell the coordinator's calls from anyone's");
    }
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (tokensScheduler != null) {
                    tokensScheduler.close();
                  }
                  server.close();
                  stopped.countDown();
                },
                "cohort-server-shutdown"));
    stopped.await();
    return CohortCli.OK;
  }

  private CallSignature signer() throws IOException {
    if (signingKeyId == null && signingKeyFile == null) {
      return null;
    }
    if (signingKeyId == null || signingKeyFile == null) {
      throw new IllegalArgumentException(
          "--signing-key-id and --signing-key-file go together: the id names the key in the file");
    }
    byte[] key = Files.readAllBytes(signingKeyFile);
    return new CallSignature(
        Map.of(signingKeyId, key), signingKeyId, CallSignature.DEFAULT_MAX_SKEW, Clock.systemUTC());
  }

  JdbcTransactionStore open(StoreSpec s, String dbPassword, ServerMetrics metrics) {
    if (s.database() == Database.SQLITE) {
      return logOptions(JdbcTransactionStore.sqliteBuilder(Path.of(s.location())))
          .flushObserver(metrics::onFlush)
          .build();
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(s.location());
    if (user != null) {
      config.setUsername(user);
    }
    if (dbPassword != null) {
      config.setPassword(dbPassword);
    }
    config.setPoolName("cohort-log");
    config.setMaximumPoolSize(16);
    HikariDataSource pool = new HikariDataSource(config);
    return logOptions(JdbcTransactionStore.builder(pool, s.database()))
        .flushObserver(metrics::onFlush)
        .closePoolOnClose(pool)
        .build();
  }

  private JdbcTransactionStore.Builder logOptions(JdbcTransactionStore.Builder b) {
    b.textIndexes(textIndexes);
    return attemptsKept == null ? b : b.attemptsKept(attemptsKept);
  }

  private static String defaultNodeId() {
    try {
      String name = java.net.InetAddress.getLocalHost().getHostName();
      return name.replaceAll("[^A-Za-z0-9._:-]", "-");
    } catch (IOException e) {
      return CoordinatorOptions.DEFAULT_NODE_ID;
    }
  }
}
