package dev.cohort.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.replica.Position;
import org.junit.jupiter.api.Test;

class CacheVersionTest {
  @Test
  void encodedVersionsCompareAsTextLikeTheirNumbers() {
    CacheVersion nine = CacheVersion.row(9);
    CacheVersion ten = CacheVersion.row(10);
    assertThat(nine.encoded()).isEqualTo("r00000000000000000009");
    assertThat(nine.encoded().compareTo(ten.encoded())).isNegative();
    assertThat(CacheVersion.decode(ten.encoded())).isEqualTo(ten);
    CacheVersion big = CacheVersion.of(Position.Lsn.parse("FFFFFFFF/FFFFFFFF"));
    assertThat(CacheVersion.decode(big.encoded())).isEqualTo(big);
    assertThat(big.encoded().compareTo(CacheVersion.of(Position.Lsn.parse("16/0")).encoded()))
        .isPositive();
  }

  @Test
  void positionsBecomeLsnOrSingleDomainGtidVersions() {
    assertThat(CacheVersion.of(Position.Lsn.parse("1/0")))
        .isEqualTo(new CacheVersion(CacheVersion.Kind.LSN, 1L << 32));
    assertThat(CacheVersion.of(Position.Gtids.parse("0-1-42")))
        .isEqualTo(new CacheVersion(CacheVersion.Kind.GTID, 42));
    assertThatThrownBy(() -> CacheVersion.of(Position.Gtids.parse("0-1-42,1-2-7")))
        .hasMessageContaining("'0-1-42,1-2-7' has 2 domains");
  }

  @Test
  void aNegativeRowVersionIsRefusedNamingIt() {
    assertThatThrownBy(() -> CacheVersion.row(-3)).hasMessageContaining("got -3");
  }
}
