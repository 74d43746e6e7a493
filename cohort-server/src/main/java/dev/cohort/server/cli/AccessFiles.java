package dev.cohort.server.cli;

import dev.cohort.protocol.v1.Role;
import dev.cohort.server.AccessToken;
import dev.cohort.server.ParticipantKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The files {@code cohort server} reads its tokens and participant keys from (docs/server.md,
 * "Roles and tokens"). A bad line is an error naming the file, the line number and what is wrong —
 * never the secret.
 */
final class AccessFiles {
  private AccessFiles() {}

  /** {@code ROLE ID SECRET} per line; blank lines and lines starting with {@code #} skipped. */
  static List<AccessToken> tokens(Path file) {
    return tokens(file, read(file));
  }

  /** {@link #tokens(Path)} of {@code content}, read from {@code file} already. */
  static List<AccessToken> tokens(Path file, String content) {
    return tokens(file, content.lines().toList());
  }

  private static List<AccessToken> tokens(Path file, List<String> lines) {
    List<AccessToken> tokens = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String[] fields = fields(lines.get(i));
      if (fields.length == 0) {
        continue;
      }
      String where = file + " line " + (i + 1);
      if (fields.length != 3) {
        throw new IllegalArgumentException(
            where
                + ": expected ROLE ID SECRET (e.g. 'reader dashboards <random>'), found "
                + fields.length
                + " fields");
      }
      try {
        tokens.add(new AccessToken(fields[1], Role.fromCode(fields[0]), fields[2]));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    return tokens;
  }

  /**
   * {@code KEY_ID KEY_FILE HOST[:PORT][,HOST[:PORT]...]} per line; a relative key file is beside.
   */
  static List<ParticipantKey> participantKeys(Path file) {
    List<ParticipantKey> keys = new ArrayList<>();
    List<String> lines = read(file);
    for (int i = 0; i < lines.size(); i++) {
      String[] fields = fields(lines.get(i));
      if (fields.length == 0) {
        continue;
      }
      String where = file + " line " + (i + 1);
      if (fields.length != 3) {
        throw new IllegalArgumentException(
            where
                + ": expected KEY_ID KEY_FILE HOSTS (e.g. 'stock-1 stock.key"
                + " stock.internal:8081'), found "
                + fields.length
                + " fields");
      }
      Path keyFile = Path.of(fields[1]);
      if (!keyFile.isAbsolute() && file.toAbsolutePath().getParent() != null) {
        keyFile = file.toAbsolutePath().getParent().resolve(keyFile);
      }
      byte[] key;
      try {
        key = Files.readAllBytes(keyFile);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            where + ": the key file " + keyFile + " cannot be read (" + e.getMessage() + ")", e);
      }
      Set<String> hosts = new LinkedHashSet<>(List.of(fields[2].split(",", -1)));
      try {
        keys.add(new ParticipantKey(fields[0], key, hosts));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    return keys;
  }

  private static String[] fields(String line) {
    String content = line.strip();
    return content.isEmpty() || content.startsWith("#") ? new String[0] : content.split("\\s+");
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
