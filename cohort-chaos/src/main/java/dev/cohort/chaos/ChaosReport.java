package dev.cohort.chaos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.protocol.v1.Codec;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a chaos run found. {@link #exitCode()} is what the CLI exits with: {@value #OK} when every
 * invariant held, {@value #VIOLATED} when one did not.
 *
 * @param gidPrefix every gid of the run starts with it
 * @param modes per mode, in the workload's order
 * @param faults fault name to how many times it was injected (kills done)
 * @param faultErrors injections that failed (e.g. a restart that never became healthy)
 * @param workloadTime from the first purchase to the last answer
 * @param timeToQuiescence from the end of the workload and faults until no transaction of the run
 *     was under way; null when the window closed first
 * @param window how long the checker was willing to wait for quiescence
 */
public record ChaosReport(
    String gidPrefix,
    Map<String, ModeStats> modes,
    Map<String, Integer> faults,
    List<String> faultErrors,
    Duration workloadTime,
    Duration timeToQuiescence,
    Duration window,
    List<String> invariantsChecked,
    List<Violation> violations) {
  public static final int OK = 0;
  public static final int VIOLATED = 1;

  /** The CLI's exit status for a run it could not carry out (bad options, system not starting). */
  public static final int UNUSABLE = 2;

  /** How many violations {@link #toText()} lists before it only counts the rest. */
  public static final int TEXT_VIOLATIONS = 50;

  public ChaosReport {
    modes = Collections.unmodifiableMap(new LinkedHashMap<>(modes));
    faults = Collections.unmodifiableMap(new LinkedHashMap<>(faults));
    faultErrors = List.copyOf(faultErrors);
    invariantsChecked = List.copyOf(invariantsChecked);
    violations = List.copyOf(violations);
  }

  public boolean passed() {
    return violations.isEmpty();
  }

  public int exitCode() {
    return passed() ? OK : VIOLATED;
  }

  public String toText() {
    StringBuilder t = new StringBuilder();
    t.append("chaos run ").append(gidPrefix).append('\n');
    t.append(
        String.format(
            Locale.ROOT,
            "%-12s %8s %10s %12s %8s %9s %12s%n",
            "mode",
            "started",
            "committed",
            "rolled back",
            "failed",
            "resolved",
            "not terminal"));
    modes.forEach((mode, s) ->
        t.append(
            String.format(
                Locale.ROOT,
                "%-12s %8d %10d %12d %8d %9d %12d%n",
                mode + (s.coordinated() ? "" : "*"),
                s.started(),
                s.committed(),
                s.rolledBack(),
                s.failed(),
                s.resolved(),
                s.notTerminal())));
    if (modes.values().stream().anyMatch(s -> !s.coordinated())) {
      t.append("* uncoordinated: outcomes as the caller saw them\n");
    }
    t.append("faults:");
    if (faults.isEmpty()) {
      t.append(" none");
    }
    faults.forEach((name, n) -> t.append(' ').append(name).append(" x").append(n).append(';'));
    t.append('\n');
    faultErrors.forEach(e -> t.append("fault error: ").append(e).append('\n'));
    t.append("workload: ").append(millis(workloadTime)).append('\n');
    t.append("quiescence: ")
        .append(
            timeToQuiescence == null
                ? "not reached within " + millis(window)
                : "after " + millis(timeToQuiescence))
        .append('\n');
    t.append("invariants: ").append(String.join(", ", invariantsChecked)).append('\n');
    if (violations.isEmpty()) {
      t.append("PASSED: no violation\n");
    } else {
      t.append("FAILED: ").append(violations.size()).append(" violation(s)\n");
      violations.stream()
          .limit(TEXT_VIOLATIONS)
          .forEach(v -> t.append("  ").append(v).append('\n'));
      if (violations.size() > TEXT_VIOLATIONS) {
        t.append("  ... and ")
            .append(violations.size() - TEXT_VIOLATIONS)
            .append(" more (see the JSON report)\n");
      }
    }
    return t.toString();
  }

  public String toJson() {
    ObjectNode root = Codec.JSON.createObjectNode();
    root.put("gidPrefix", gidPrefix);
    root.put("passed", passed());
    root.put("exitCode", exitCode());
    ObjectNode m = root.putObject("modes");
    modes.forEach((mode, s) -> {
      ObjectNode n = m.putObject(mode);
      n.put("coordinated", s.coordinated());
      n.put("started", s.started());
      n.put("committed", s.committed());
      n.put("rolledBack", s.rolledBack());
      n.put("failed", s.failed());
      n.put("resolved", s.resolved());
      n.put("notTerminal", s.notTerminal());
    });
    ObjectNode f = root.putObject("faults");
    faults.forEach(f::put);
    ArrayNode errors = root.putArray("faultErrors");
    faultErrors.forEach(errors::add);
    root.put("workloadMs", workloadTime.toMillis());
    if (timeToQuiescence == null) {
      root.putNull("quiescenceMs");
    } else {
      root.put("quiescenceMs", timeToQuiescence.toMillis());
    }
    root.put("windowMs", window.toMillis());
    ArrayNode checked = root.putArray("invariants");
    invariantsChecked.forEach(checked::add);
    ArrayNode v = root.putArray("violations");
    for (Violation violation : violations) {
      ObjectNode n = v.addObject();
      n.put("invariant", violation.invariant());
      if (violation.gid() == null) {
        n.putNull("gid");
      } else {
        n.put("gid", violation.gid());
      }
      n.put("message", violation.message());
    }
    try {
      return Codec.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the report could not be written as JSON", e);
    }
  }

  private static String millis(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
