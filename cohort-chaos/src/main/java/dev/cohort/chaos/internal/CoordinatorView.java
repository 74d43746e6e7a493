package dev.cohort.chaos.internal;

import dev.cohort.protocol.v1.CoordinatorClient;
import dev.cohort.protocol.v1.TransactionPage;
import dev.cohort.protocol.v1.TransactionSummary;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** What the checker asks the coordinator over {@code /v1}: only reads. */
public final class CoordinatorView {
  private static final String PAGE_SIZE = "500";

  private final CoordinatorClient client;
  private final String gidPrefix;

  public CoordinatorView(CoordinatorClient client, String gidPrefix) {
    this.client = Objects.requireNonNull(client, "client");
    this.gidPrefix = Objects.requireNonNull(gidPrefix, "gidPrefix");
  }

  /** How many of this run's transactions are not terminal yet (at most one page's worth). */
  public int unfinished() {
    Map<String, String> params = new HashMap<>();
    params.put("status", Statuses.nonTerminalCodes());
    params.put("q", gidPrefix);
    params.put("limit", PAGE_SIZE);
    int count = 0;
    for (TransactionSummary t : client.list(params).transactions()) {
      if (t.gid().startsWith(gidPrefix)) {
        count++;
      }
    }
    return count;
  }

  /** Gid to status code of every transaction of this run the coordinator knows. */
  public Map<String, String> statuses() {
    Map<String, String> found = new LinkedHashMap<>();
    String after = null;
    do {
      Map<String, String> params = new HashMap<>();
      params.put("q", gidPrefix);
      params.put("limit", PAGE_SIZE);
      params.put("after", after);
      TransactionPage page = client.list(params);
      for (TransactionSummary t : page.transactions()) {
        if (t.gid().startsWith(gidPrefix)) {
          found.put(t.gid(), t.status());
        }
      }
      after = page.next();
    } while (after != null);
    return found;
  }
}
