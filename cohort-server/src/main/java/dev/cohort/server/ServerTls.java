package dev.cohort.server;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * TLS for the server's listener from two PEM files: the certificate chain (the server's certificate
 * first, then intermediates) and its private key (PKCS#8 or PKCS#1, unencrypted). The files are
 * read again by {@link CohortServer#reloadTls()}, so a renewed certificate is served to new
 * connections without a restart.
 */
public final class ServerTls {
  private final Path certificateChain;
  private final Path privateKey;

  private ServerTls(Path certificateChain, Path privateKey) {
    this.certificateChain = certificateChain;
    this.privateKey = privateKey;
  }

  /**
   * Checks the files now (both exist and hold a key and a certificate), so a mistake stops the
   * start with a message rather than the first handshake.
   */
  public static ServerTls pem(Path certificateChain, Path privateKey) {
    ServerTls tls =
        new ServerTls(
            Objects.requireNonNull(certificateChain, "certificateChain"),
            Objects.requireNonNull(privateKey, "privateKey"));
    tls.load();
    return tls;
  }

  public Path certificateChain() {
    return certificateChain;
  }

  public Path privateKey() {
    return privateKey;
  }

  /** Reads both files into the listener's TLS settings. */
  Tls load() {
    requireFile("certificate chain", certificateChain);
    requireFile("private key", privateKey);
    Keys keys;
    try {
      keys =
          Keys.builder()
              .pem(pem ->
                  pem.key(Resource.create(privateKey)).certChain(Resource.create(certificateChain)))
              .build();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot read the TLS key "
              + privateKey
              + " or certificate chain "
              + certificateChain
              + " as PEM ("
              + e.getMessage()
              + "); give an unencrypted PKCS#8 or PKCS#1 key and a chain of"
              + " -----BEGIN CERTIFICATE----- blocks",
          e);
    }
    PrivateKey key =
        keys.privateKey()
            .orElseThrow(() -> new IllegalArgumentException(privateKey + " holds no private key"));
    List<X509Certificate> chain = keys.certChain();
    if (chain.isEmpty()) {
      throw new IllegalArgumentException(certificateChain + " holds no certificate");
    }
    return Tls.builder().privateKey(key).privateKeyCertChain(chain).build();
  }

  /** When either file last changed; a reload is due when this moves. */
  FileTime lastModified() {
    try {
      FileTime a = Files.getLastModifiedTime(certificateChain);
      FileTime b = Files.getLastModifiedTime(privateKey);
      return a.compareTo(b) >= 0 ? a : b;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void requireFile(String what, Path path) {
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException("the TLS " + what + " file " + path + " does not exist");
    }
  }

  @Override
  public String toString() {
    return "ServerTls[" + certificateChain + ", " + privateKey + "]";
  }
}
