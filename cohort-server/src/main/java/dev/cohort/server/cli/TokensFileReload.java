package dev.cohort.server.cli;

import dev.cohort.server.AccessToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --tokens-file} read again while the server runs: each {@link #check()} compares the file's
 * content with what was read last, and when it changed, parses it and hands the tokens to the
 * server, so a removed token stops working without a restart. A file that cannot be read or parsed
 * keeps the tokens in force and logs an error naming the file, the line and what is wrong (never a
 * secret) — once per change, not at every check.
 */
final class TokensFileReload {
  private static final Logger LOG = LoggerFactory.getLogger(TokensFileReload.class);

  /** What a check did. */
  enum Result {
    /** The content is what was read last time: nothing to do. */
    UNCHANGED,
    /** The content changed and its tokens are now the ones in force. */
    RELOADED,
    /** The content changed but is unusable: the tokens read before stay in force. */
    REFUSED
  }

  private final Path file;
  private final Consumer<List<AccessToken>> apply;
  private byte[] lastDigest;
  private byte[] lastRefused;

  /**
   * Reads {@code file} once, for the tokens to start with.
   *
   * @throws IllegalArgumentException naming the file and line when it cannot be used
   */
  static TokensFileReload start(Path file, Consumer<List<AccessToken>> apply) {
    return new TokensFileReload(file, apply);
  }

  private TokensFileReload(Path file, Consumer<List<AccessToken>> apply) {
    this.file = file;
    this.apply = apply;
  }

  /** The file's tokens now, remembered as the content in force (for {@code reloadableTokens}). */
  List<AccessToken> initial() {
    byte[] content = read();
    List<AccessToken> tokens = AccessFiles.tokens(file, text(content));
    lastDigest = sha256(content);
    return tokens;
  }

  /** Reads the file again; applies its tokens when its content changed and is valid. */
  synchronized Result check() {
    byte[] content;
    try {
      content = read();
    } catch (IllegalArgumentException e) {
      return refuse(new byte[0], e);
    }
    byte[] digest = sha256(content);
    if (Arrays.equals(digest, lastDigest)) {
      return Result.UNCHANGED;
    }
    try {
      if (content.length == 0) {
        // Most likely caught between truncate and write: taking it would refuse every file token.
        throw new IllegalArgumentException(
            file
                + " is empty (half written?); write the new file beside it and move it over the"
                + " old one, and leave a comment line in it to have no tokens from the file");
      }
      List<AccessToken> tokens = AccessFiles.tokens(file, text(content));
      apply.accept(tokens);
      lastDigest = digest;
      LOG.info("tokens reloaded from {}: {} token(s) in force", file, tokens.size());
      return Result.RELOADED;
    } catch (IllegalArgumentException e) {
      return refuse(digest, e);
    }
  }

  private Result refuse(byte[] digest, IllegalArgumentException e) {
    // Remember the bad content so it is reported once; a later fix changes the digest again.
    boolean seen = Arrays.equals(digest, lastRefused);
    lastRefused = digest;
    if (!seen) {
      LOG.error(
          "--tokens-file {} changed but cannot be used, so the tokens read before stay in force;"
              + " fix the file (it is read again at the next check): {}",
          file,
          e.getMessage());
    }
    return Result.REFUSED;
  }

  private static String text(byte[] content) {
    return new String(content, StandardCharsets.UTF_8);
  }

  private byte[] read() {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
