package dev.cohort.examples.shop.fault;

import dev.cohort.examples.shop.common.Effects;
import dev.cohort.examples.shop.common.ServiceState;
import dev.cohort.examples.shop.common.TransitionLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The admin API every shop service serves (docs/shop.md): its totals for the invariants, and the
 * fault switch.
 */
@RestController
public class AdminController {
  private final String service;
  private final FaultSwitch faults;
  private final ServiceState state;
  private final TransitionLog transitions;
  private final Effects effects;

  public AdminController(
      String service,
      FaultSwitch faults,
      ServiceState state,
      TransitionLog transitions,
      Effects effects) {
    this.service = service;
    this.faults = faults;
    this.state = state;
    this.transitions = transitions;
    this.effects = effects;
  }

  /** The body of {@code POST /admin/faults}; absent fields take their defaults. */
  public record FaultRequest(String kind, Integer count, String op, Long millis) {
    Fault toFault() {
      if (kind == null) {
        throw new IllegalArgumentException(
            "give a kind: {\"kind\":\"fail\",\"count\":1,\"op\":\"confirm\"}");
      }
      return new Fault(
          FaultKind.fromCode(kind),
          count == null ? 1 : count,
          op == null || op.equals("any") ? null : op,
          millis == null ? 0 : millis);
    }
  }

  @GetMapping("/admin/state")
  public Map<String, Object> state() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("service", service);
    out.putAll(state.totals());
    out.put("faultsCaught", faults.caught());
    out.put("faultsInFlight", faults.inFlight());
    out.put("transitions", transitions.seen());
    return out;
  }

  /**
   * The effect ledger's rows whose gid starts with {@code prefix} ({@code gid}, {@code branch},
   * {@code op}): what the chaos checker's exactly-once invariant reads.
   */
  @GetMapping("/admin/effects")
  public List<Map<String, Object>> effects(
      @RequestParam(name = "prefix", defaultValue = "") String prefix) {
    return effects.startingWith(prefix);
  }

  @GetMapping("/admin/faults")
  public Map<String, Object> faults() {
    return Map.of("service", service, "armed", faults.describe(), "caught", faults.caught());
  }

  /** Arms one fault (several: one POST each). */
  @PostMapping("/admin/faults")
  public Map<String, Object> arm(@RequestBody FaultRequest request) {
    faults.arm(request.toFault());
    return faults();
  }

  @DeleteMapping("/admin/faults")
  public Map<String, Object> clear() {
    faults.clear();
    return faults();
  }

  @ExceptionHandler(IllegalArgumentException.class)
  public ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
    return ResponseEntity.badRequest()
        .body(Map.of("error", "bad_request", "message", String.valueOf(e.getMessage())));
  }
}
