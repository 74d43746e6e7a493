package dev.cohort.protocol.v1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cohort.api.Gid;
import dev.cohort.api.IllegalOperationException;
import dev.cohort.api.InvalidInputException;
import dev.cohort.api.UnknownTransactionException;
import dev.cohort.protocol.BranchShape;
import dev.cohort.protocol.Operation;
import org.junit.jupiter.api.Test;

class EndpointTest {
  @Test
  void pathsRoundTripThroughMatch() {
    for (Endpoint e : Endpoint.values()) {
      String path = e.hasGid() ? e.path("order-42") : e.path();
      Endpoint.Match m = Endpoint.match(path).orElseThrow();
      assertThat(m.endpoint(e.method().name())).contains(e);
      assertThat(m.gid()).isEqualTo(e.hasGid() ? "order-42" : null);
    }
  }

  @Test
  void onlyHealthIsOpenReadsNeedAReaderAndSettlingByHandAnOperator() {
    for (Endpoint e : Endpoint.values()) {
      if (e == Endpoint.HEALTH) {
        assertThat(e.role()).isEmpty();
      } else if (e.method() == Endpoint.Method.GET) {
        assertThat(e.role()).as(e.name()).contains(Role.READER);
      } else if (e == Endpoint.RETRY || e == Endpoint.RESOLVE) {
        assertThat(e.role()).as(e.name()).contains(Role.OPERATOR);
      } else {
        assertThat(e.role()).as(e.name()).contains(Role.CLIENT);
      }
      assertThat(e.acceptsParticipantSignature()).isEqualTo(e == Endpoint.OUTCOME);
    }
    assertThat(Role.OPERATOR.covers(Role.CLIENT)).isTrue();
    assertThat(Role.CLIENT.covers(Role.READER)).isTrue();
    assertThat(Role.CLIENT.covers(Role.OPERATOR)).isFalse();
    assertThat(Role.READER.covers(Role.CLIENT)).isFalse();
  }

  @Test
  void unknownSubPathsMatchNothing() {
    assertThat(Endpoint.match("/v1/transactions/g/comit")).isEmpty();
    assertThat(Endpoint.match("/v1/transactions/g/commit/extra")).isEmpty();
    assertThat(Endpoint.match("/v1/transactions//commit")).isEmpty();
    assertThat(Endpoint.match("/v2/transactions")).isEmpty();
  }

  @Test
  void aKnownPathWithAnotherMethodHasNoEndpoint() {
    Endpoint.Match m = Endpoint.match("/v1/transactions/g/commit/").orElseThrow();
    assertThat(m.endpoint("GET")).isEmpty();
    assertThat(m.endpoints()).containsExactly(Endpoint.COMMIT);
  }

  @Test
  void errorCodesCoverEngineExceptions() {
    assertThat(ErrorCode.forException(new InvalidInputException("x")))
        .contains(ErrorCode.BAD_REQUEST);
    assertThat(ErrorCode.forException(new UnknownTransactionException(Gid.of("g"))))
        .contains(ErrorCode.NOT_FOUND);
    assertThat(
            ErrorCode.forException(
                new IllegalOperationException(
                    Gid.of("g"), dev.cohort.api.GlobalStatus.COMMITTED, "x")))
        .contains(ErrorCode.CONFLICT);
    assertThat(ErrorCode.forException(new ArithmeticException())).isEmpty();
    assertThat(ErrorCode.of("refused", 409)).isEqualTo(ErrorCode.REFUSED);
    assertThat(ErrorCode.of("newer_code", 409)).isEqualTo(ErrorCode.CONFLICT);
  }

  @Test
  void branchShapesAreData() {
    assertThat(BranchShape.TCC.operations())
        .containsExactly(Operation.TRY, Operation.CONFIRM, Operation.CANCEL);
    assertThat(BranchShape.SAGA.requestFields())
        .containsExactly("action", "branchId", "compensate", "payload", "recovery");
  }
}
