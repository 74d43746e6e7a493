package dev.cohort.server.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.api.GlobalStatus;
import dev.cohort.api.Mode;
import dev.cohort.coordinator.TransactionQuery;
import dev.cohort.protocol.ModeContracts;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchFormTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  private static SearchForm parse(Map<String, String> params) {
    return SearchForm.parse(params, ModeContracts.builtIn().all(), NOW);
  }

  @Test
  void everyFieldBecomesACriterion() {
    SearchForm form =
        parse(
            Map.of(
                "status", "failed",
                "mode", "saga",
                "olderThan", "10m",
                "newerThan", "2d",
                "text", " order-42 ",
                "participant", "stock",
                "error", "timeout",
                "after", "order-41"));
    assertThat(form.errors).isEmpty();
    TransactionQuery q = form.query();
    assertThat(q.statuses()).containsExactly(GlobalStatus.FAILED);
    assertThat(q.mode()).isEqualTo(Mode.SAGA);
    assertThat(q.createdBefore()).isEqualTo(NOW.minus(Duration.ofMinutes(10)));
    assertThat(q.createdAfter()).isEqualTo(NOW.minus(Duration.ofDays(2)));
    assertThat(q.text()).isEqualTo("order-42");
    assertThat(q.participant()).isEqualTo("stock");
    assertThat(q.error()).isEqualTo("timeout");
    assertThat(q.after().value()).isEqualTo("order-41");
    assertThat(q.limit()).isEqualTo(SearchForm.PAGE_SIZE);
  }

  @Test
  void emptyFieldsMeanAny() {
    SearchForm form = parse(Map.of("status", "", "mode", "", "text", "  "));
    assertThat(form.errors).isEmpty();
    assertThat(form.query().statuses()).isEmpty();
    assertThat(form.query().mode()).isNull();
    assertThat(form.query().text()).isNull();
  }

  @Test
  void eachBadFieldGetsItsOwnMessageAndNoQueryRuns() {
    SearchForm form =
        parse(
            Map.of(
                "status", "stuck",
                "mode", "xa",
                "olderThan", "10 minutes",
                "participant", "a\u0000b",
                "error", "e".repeat(201),
                "after", "a b"));
    assertThat(form.errors)
        .hasSize(6)
        .anySatisfy(
            e -> assertThat(e).contains("status 'stuck' is not a status").contains("failed"))
        .anySatisfy(e -> assertThat(e).contains("mode 'xa' is not a mode of this server"))
        .anySatisfy(
            e -> assertThat(e).contains("'older than' must be a whole number").contains("10m"))
        .anySatisfy(e -> assertThat(e).contains("'participant' contains a control character"))
        .anySatisfy(e -> assertThat(e).contains("'error' has 201 characters"))
        .anySatisfy(e -> assertThat(e).contains("'after' is not a gid"));
    assertThat(form.value("status")).isEqualTo("stuck"); // refilled as typed
  }

  @Test
  void anAgeWindowThatIsEmptyIsSaidSo() {
    SearchForm form = parse(Map.of("olderThan", "2h", "newerThan", "1h"));
    assertThat(form.errors).singleElement().asString().contains("no transaction can be both");
  }
}
