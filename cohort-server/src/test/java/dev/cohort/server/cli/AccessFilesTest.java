package dev.cohort.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cohort.protocol.v1.Role;
import dev.cohort.server.AccessToken;
import dev.cohort.server.ParticipantKey;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessFilesTest {
  @TempDir Path dir;

  @Test
  void readsOneTokenPerLineWithItsRoleAndId() throws IOException {
    Path file = dir.resolve("tokens");
    Files.writeString(
        file,
        """
        # role id secret
        operator ops-1   ops-secret-0123456789abcdef

        reader   dash    dash-secret-#0123456789abcdef
        client   orders  orders-secret-0123456789abcdef
        """);
    List<AccessToken> tokens = AccessFiles.tokens(file);
    assertThat(tokens)
        .extracting(AccessToken::id, AccessToken::role)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ops-1", Role.OPERATOR),
            org.assertj.core.groups.Tuple.tuple("dash", Role.READER),
            org.assertj.core.groups.Tuple.tuple("orders", Role.CLIENT));
    // A '#' inside a secret is part of it; only a line starting with '#' is a comment.
    assertThat(tokens.get(1).secret()).isEqualTo("dash-secret-#0123456789abcdef");
  }

  @Test
  void aBadLineNamesFileLineAndProblemButNeverTheSecret() throws IOException {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "reader ok ok-secret-0123456789abcdef\nwriter w w-secret-0123456789\n");
    assertThatThrownBy(() -> AccessFiles.tokens(file))
        .hasMessageContaining("line 2")
        .hasMessageContaining("role 'writer' is not a role")
        .hasMessageNotContaining("w-secret");
    Files.writeString(file, "reader only-two-fields\n");
    assertThatThrownBy(() -> AccessFiles.tokens(file))
        .hasMessageContaining("line 1: expected ROLE ID SECRET");
    Files.writeString(file, "reader short tooshort\n");
    assertThatThrownBy(() -> AccessFiles.tokens(file))
        .hasMessageContaining("at least 16 characters")
        .hasMessageNotContaining("tooshort");
  }

  @Test
  void readsParticipantKeysWithKeyFilesBesideTheListAndTheirHosts() throws IOException {
    Files.write(
        dir.resolve("stock.key"),
        "stock-key-0123456789abcdef-0123456".getBytes(StandardCharsets.UTF_8));
    Path file = dir.resolve("participant-keys");
    Files.writeString(file, "stock-1 stock.key Stock.Internal:8081,stock-b.internal\n");
    List<ParticipantKey> keys = AccessFiles.participantKeys(file);
    assertThat(keys).singleElement().extracting(ParticipantKey::keyId).isEqualTo("stock-1");
    ParticipantKey key = keys.getFirst();
    assertThat(key.hosts()).containsExactlyInAnyOrder("stock.internal:8081", "stock-b.internal");
    assertThat(key.covers(URI.create("http://stock.internal:8081/try"))).isTrue();
    assertThat(key.covers(URI.create("http://stock.internal:9090/try"))).isFalse();
    assertThat(key.covers(URI.create("https://stock-b.internal/try"))).isTrue();
    assertThat(key.covers(URI.create("http://pay.internal:8081/try"))).isFalse();
    assertThat(key.toString()).doesNotContain("0123456789");

    Files.writeString(file, "stock-1 missing.key stock.internal\n");
    assertThatThrownBy(() -> AccessFiles.participantKeys(file))
        .hasMessageContaining("line 1: the key file")
        .hasMessageContaining("missing.key");
    Files.writeString(file, "stock-1 stock.key http://stock.internal/\n");
    assertThatThrownBy(() -> AccessFiles.participantKeys(file))
        .hasMessageContaining("is not a host or host:port");
  }
}
