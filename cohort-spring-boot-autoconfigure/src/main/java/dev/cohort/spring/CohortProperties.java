package dev.cohort.spring;

import dev.cohort.participant.HeldBranchResolver;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything under {@code cohort.*} in {@code application.properties} or {@code application.yml}. A
 * plain JavaBean without Spring types, so the same settings can be built by hand or by another
 * framework; docs/spring-boot.md lists every key with its tier (essential, frequent, rare).
 */
public class CohortProperties {
  /** Default path under which participant endpoints are served. */
  public static final String DEFAULT_PARTICIPANT_PATH = "/cohort/participants";

  /** Default file of the embedded coordinator's SQLite log. */
  public static final String DEFAULT_STORE_URL = "jdbc:sqlite:cohort-log.db";

  /** Default number of attempts of one alert webhook POST. */
  public static final int DEFAULT_ALERT_ATTEMPTS = 5;

  /** Default timeout of one alert webhook POST. */
  public static final Duration DEFAULT_ALERT_TIMEOUT = Duration.ofSeconds(5);

  /** Default pause before the second alert attempt; it doubles for each next one. */
  public static final Duration DEFAULT_ALERT_BACKOFF = Duration.ofMillis(500);

  private final Server server = new Server();
  private final Embedded embedded = new Embedded();
  private final Participant participant = new Participant();
  private final Replica replica = new Replica();
  private final Alert alert = new Alert();

  /** Begin transactions on a coordinator server: {@code cohort.server.url} and its token. */
  public Server getServer() {
    return server;
  }

  /** Run the coordinator in this JVM when no server URL is set. */
  public Embedded getEmbedded() {
    return embedded;
  }

  /** How this service's participant endpoints are served and verified. */
  public Participant getParticipant() {
    return participant;
  }

  /** Read-write splitting over {@code spring.datasource} and replica URLs. */
  public Replica getReplica() {
    return replica;
  }

  /** The webhook told about FAILED transactions. */
  public Alert getAlert() {
    return alert;
  }

  /** {@code cohort.server.*}. */
  public static class Server {
    private URI url;
    private String token;
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration requestTimeout = Duration.ofSeconds(60);

    public URI getUrl() {
      return url;
    }

    public void setUrl(URI url) {
      this.url = url;
    }

    public String getToken() {
      return token;
    }

    public void setToken(String token) {
      this.token = token;
    }

    public Duration getConnectTimeout() {
      return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
    }

    public Duration getRequestTimeout() {
      return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
    }

    @Override
    public String toString() {
      return "Server{url=" + url + ", token=" + (token == null ? "none" : "***") + "}";
    }
  }

  /** {@code cohort.embedded.*}: the coordinator in this JVM (needs cohort-embedded). */
  public static class Embedded {
    private boolean enabled = true;
    private String storeUrl = DEFAULT_STORE_URL;
    private String storeUsername;
    private String storePassword;
    private String nodeId;
    private Duration transactionTimeout;
    private Duration callTimeout;
    private Duration initialBackoff;
    private Duration maxBackoff;
    private Duration retryWindow;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getStoreUrl() {
      return storeUrl;
    }

    public void setStoreUrl(String storeUrl) {
      this.storeUrl = storeUrl;
    }

    public String getStoreUsername() {
      return storeUsername;
    }

    public void setStoreUsername(String storeUsername) {
      this.storeUsername = storeUsername;
    }

    public String getStorePassword() {
      return storePassword;
    }

    public void setStorePassword(String storePassword) {
      this.storePassword = storePassword;
    }

    public String getNodeId() {
      return nodeId;
    }

    public void setNodeId(String nodeId) {
      this.nodeId = nodeId;
    }

    public Duration getTransactionTimeout() {
      return transactionTimeout;
    }

    public void setTransactionTimeout(Duration transactionTimeout) {
      this.transactionTimeout = transactionTimeout;
    }

    public Duration getCallTimeout() {
      return callTimeout;
    }

    public void setCallTimeout(Duration callTimeout) {
      this.callTimeout = callTimeout;
    }

    public Duration getInitialBackoff() {
      return initialBackoff;
    }

    public void setInitialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
    }

    public Duration getMaxBackoff() {
      return maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
    }

    public Duration getRetryWindow() {
      return retryWindow;
    }

    public void setRetryWindow(Duration retryWindow) {
      this.retryWindow = retryWindow;
    }
  }

  /** {@code cohort.participant.*}. */
  public static class Participant {
    private String path = DEFAULT_PARTICIPANT_PATH;
    private Map<String, String> signingKeys = new LinkedHashMap<>();
    private String activeKey;
    private Duration maxSkew = Duration.ofMinutes(5);
    private boolean unsigned;
    private boolean createBarrierTable = true;
    private final Resolver resolver = new Resolver();

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }

    /** Key id to secret (at least 32 bytes of text, or {@code base64:...}). */
    public Map<String, String> getSigningKeys() {
      return signingKeys;
    }

    public void setSigningKeys(Map<String, String> signingKeys) {
      this.signingKeys = signingKeys;
    }

    public String getActiveKey() {
      return activeKey;
    }

    public void setActiveKey(String activeKey) {
      this.activeKey = activeKey;
    }

    public Duration getMaxSkew() {
      return maxSkew;
    }

    public void setMaxSkew(Duration maxSkew) {
      this.maxSkew = maxSkew;
    }

    public boolean isUnsigned() {
      return unsigned;
    }

    public void setUnsigned(boolean unsigned) {
      this.unsigned = unsigned;
    }

    public boolean isCreateBarrierTable() {
      return createBarrierTable;
    }

    public void setCreateBarrierTable(boolean createBarrierTable) {
      this.createBarrierTable = createBarrierTable;
    }

    public Resolver getResolver() {
      return resolver;
    }
  }

  /**
   * {@code cohort.participant.resolver.*}: how {@link HeldBranchesOf} beans are resolved with the
   * coordinator.
   */
  public static class Resolver {
    private Duration holdThreshold = HeldBranchResolver.DEFAULT_HOLD_THRESHOLD;
    private Duration period = Duration.ofSeconds(10);
    private int batch = HeldBranchResolver.DEFAULT_BATCH;

    /** How long a branch may stay held before the coordinator is asked; default 30 s. */
    public Duration getHoldThreshold() {
      return holdThreshold;
    }

    public void setHoldThreshold(Duration holdThreshold) {
      this.holdThreshold = holdThreshold;
    }

    /** Time between rounds; default 10 s. */
    public Duration getPeriod() {
      return period;
    }

    public void setPeriod(Duration period) {
      this.period = period;
    }

    /** Branches looked at per round and endpoint; default 100. */
    public int getBatch() {
      return batch;
    }

    public void setBatch(int batch) {
      this.batch = batch;
    }
  }

  /** {@code cohort.replica.*}. */
  public static class Replica {
    private List<String> urls = new ArrayList<>();
    private String sourceId;
    private Duration maxWait;
    private Duration maxLag;
    private Duration pollInterval;

    public List<String> getUrls() {
      return urls;
    }

    public void setUrls(List<String> urls) {
      this.urls = urls;
    }

    public String getSourceId() {
      return sourceId;
    }

    public void setSourceId(String sourceId) {
      this.sourceId = sourceId;
    }

    public Duration getMaxWait() {
      return maxWait;
    }

    public void setMaxWait(Duration maxWait) {
      this.maxWait = maxWait;
    }

    public Duration getMaxLag() {
      return maxLag;
    }

    public void setMaxLag(Duration maxLag) {
      this.maxLag = maxLag;
    }

    public Duration getPollInterval() {
      return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
    }
  }

  /** {@code cohort.alert.*}. */
  public static class Alert {
    private URI webhookUrl;
    private int attempts = DEFAULT_ALERT_ATTEMPTS;
    private Duration timeout = DEFAULT_ALERT_TIMEOUT;
    private Duration backoff = DEFAULT_ALERT_BACKOFF;

    public URI getWebhookUrl() {
      return webhookUrl;
    }

    public void setWebhookUrl(URI webhookUrl) {
      this.webhookUrl = webhookUrl;
    }

    public int getAttempts() {
      return attempts;
    }

    public void setAttempts(int attempts) {
      this.attempts = attempts;
    }

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    public Duration getBackoff() {
      return backoff;
    }

    public void setBackoff(Duration backoff) {
      this.backoff = backoff;
    }
  }
}
