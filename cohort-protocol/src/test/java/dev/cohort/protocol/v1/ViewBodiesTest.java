package dev.cohort.protocol.v1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.protocol.HttpTarget;
import dev.cohort.protocol.Operation;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The view bodies' JSON text, field by field and in order, as docs/protocol.md documents it and as
 * the server wrote it by hand before these records existed; and the round trip a client reads.
 */
class ViewBodiesTest {
  private static final HttpTarget STOCK =
      HttpTarget.tcc(
          URI.create("http://s/try"),
          URI.create("http://s/confirm"),
          URI.create("http://s/cancel"),
          "{\"sku\":\"A-1\"}");
  private static final HttpTarget SHIP =
      HttpTarget.saga(URI.create("http://p/ship"), URI.create("http://p/unship"), "null");

  @Test
  void transactionDetailWritesEveryFieldInTheDocumentedOrder() throws Exception {
    TransactionDetail detail =
        new TransactionDetail(
            "order-42",
            "tcc",
            "committed",
            null,
            false,
            "2026-11-21T18:00:00Z",
            "2026-11-21T18:00:01Z",
            "2026-11-21T18:00:30Z",
            0,
            null,
            "node-a",
            null,
            List.of(
                BranchDetail.http("stock", 0, "confirmed", 0, null, STOCK, false)
                    .withAttemptHistory(
                        List.of(
                            new AttemptDetail(
                                "confirm",
                                1,
                                "2026-11-21T18:00:00.500Z",
                                2.5,
                                "failed",
                                503,
                                "HTTP 503"),
                            new AttemptDetail(
                                "confirm",
                                2,
                                "2026-11-21T18:00:01Z",
                                1.25,
                                "succeeded",
                                null,
                                null))),
                BranchDetail.inProcess("local", 1, "confirmed", 2, "boom", "stock", "a b")),
            List.of(
                new TimelineEvent("2026-11-21T18:00:00Z", "created"),
                new TimelineEvent("2026-11-21T18:00:01Z", "committed")));

    assertThat(Codec.JSON.writeValueAsString(detail))
        .isEqualTo(
            "{\"gid\":\"order-42\",\"mode\":\"tcc\",\"status\":\"committed\",\"reason\":null,"
                + "\"parallel\":false,\"createdAt\":\"2026-11-21T18:00:00Z\","
                + "\"updatedAt\":\"2026-11-21T18:00:01Z\",\"deadline\":\"2026-11-21T18:00:30Z\","
                + "\"attempts\":0,\"nextAttemptAt\":null,\"owner\":\"node-a\",\"leaseUntil\":null,"
                + "\"branches\":[{\"branchId\":\"stock\",\"seq\":0,\"status\":\"confirmed\","
                + "\"attempts\":0,\"lastError\":null,\"try\":\"http://s/try\","
                + "\"confirm\":\"http://s/confirm\",\"cancel\":\"http://s/cancel\","
                + "\"payload\":{\"sku\":\"A-1\"},\"attemptHistory\":["
                + "{\"operation\":\"confirm\",\"attempt\":1,\"at\":\"2026-11-21T18:00:00.500Z\","
                + "\"tookMs\":2.5,\"outcome\":\"failed\",\"httpStatus\":503,\"error\":\"HTTP 503\"},"
                + "{\"operation\":\"confirm\",\"attempt\":2,\"at\":\"2026-11-21T18:00:01Z\","
                + "\"tookMs\":1.25,\"outcome\":\"succeeded\",\"httpStatus\":null,\"error\":null}]},"
                + "{\"branchId\":\"local\",\"seq\":1,\"status\":\"confirmed\",\"attempts\":2,"
                + "\"lastError\":\"boom\",\"participant\":\"stock\",\"payload\":\"a b\","
                + "\"attemptHistory\":[]}],"
                + "\"timeline\":[{\"at\":\"2026-11-21T18:00:00Z\",\"event\":\"created\"},"
                + "{\"at\":\"2026-11-21T18:00:01Z\",\"event\":\"committed\"}]}");
    assertThat(Codec.JSON.readValue(Codec.JSON.writeValueAsBytes(detail), TransactionDetail.class))
        .isEqualTo(detail);
  }

  @Test
  void sagaStepsNameTheirRecoveryAndNullPayloadsAreWritten() throws Exception {
    BranchDetail step = BranchDetail.http("ship", 0, "registered", 0, null, SHIP, true);
    assertThat(Codec.JSON.writeValueAsString(step))
        .isEqualTo(
            "{\"branchId\":\"ship\",\"seq\":0,\"status\":\"registered\",\"attempts\":0,"
                + "\"lastError\":null,\"action\":\"http://p/ship\","
                + "\"compensate\":\"http://p/unship\",\"recovery\":\"forward\",\"payload\":null,"
                + "\"attemptHistory\":[]}");
    BranchDetail read =
        Codec.JSON.readValue(Codec.JSON.writeValueAsBytes(step), BranchDetail.class);
    assertThat(read.isHttp()).isTrue();
    assertThat(read.isForward()).isTrue();
    assertThat(read.url(Operation.ACTION)).isEqualTo("http://p/ship");
    assertThat(read.url(Operation.TRY)).isNull();
    assertThat(read.payloadText()).isEqualTo("null");
    assertThat(
            Codec.JSON
                .readValue("{\"branchId\":\"old\",\"seq\":0,\"status\":\"x\"}", BranchDetail.class)
                .attemptHistory())
        .as("a body without the field, as an older server sends it")
        .isEmpty();

    BranchDetail local = BranchDetail.inProcess("l", 0, "registered", 0, null, "p", null);
    assertThat(Codec.JSON.writeValueAsString(local))
        .isEqualTo(
            "{\"branchId\":\"l\",\"seq\":0,\"status\":\"registered\",\"attempts\":0,"
                + "\"lastError\":null,\"participant\":\"p\",\"payload\":null,\"attemptHistory\":[]}");
  }

  @Test
  void pagesAndParticipantOutcomesWriteTheirNulls() throws Exception {
    TransactionPage page =
        new TransactionPage(
            List.of(new TransactionSummary("g1", "saga", "failed", null, "t1", "t2")), null);
    assertThat(Codec.JSON.writeValueAsString(page))
        .isEqualTo(
            "{\"transactions\":[{\"gid\":\"g1\",\"mode\":\"saga\",\"status\":\"failed\","
                + "\"reason\":null,\"createdAt\":\"t1\",\"updatedAt\":\"t2\"}],\"next\":null}");
    assertThat(Codec.JSON.readValue(Codec.JSON.writeValueAsBytes(page), TransactionPage.class))
        .isEqualTo(page);

    ParticipantOutcome outcome = new ParticipantOutcome("g1", "resolved", null, true);
    assertThat(Codec.JSON.writeValueAsString(outcome))
        .isEqualTo("{\"gid\":\"g1\",\"status\":\"resolved\",\"decision\":null,\"final\":true}");
    assertThat(
            Codec.JSON.readValue(
                "{\"gid\":\"g1\",\"status\":\"committing\",\"decision\":\"commit\","
                    + "\"final\":false,\"newer\":1}",
                ParticipantOutcome.class))
        .isEqualTo(new ParticipantOutcome("g1", "committing", "commit", false));
  }
}
