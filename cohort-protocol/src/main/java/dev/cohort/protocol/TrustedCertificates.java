package dev.cohort.protocol;

import dev.cohort.api.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS client context that trusts the certificates of one PEM file (a private CA, or the server's
 * own self-signed certificate) instead of the JDK's public CAs. Host names are still verified: the
 * JDK's HTTP client checks them against the certificate's subject alternative names.
 */
public final class TrustedCertificates {
  private TrustedCertificates() {}

  /** The certificates in {@code pem} ({@code -----BEGIN CERTIFICATE-----} blocks). */
  public static List<X509Certificate> read(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> read =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      List<X509Certificate> certificates = new ArrayList<>();
      for (Certificate c : read) {
        certificates.add((X509Certificate) c);
      }
      if (certificates.isEmpty()) {
        throw new InvalidInputException(
            pem + " holds no certificate; give a PEM file with -----BEGIN CERTIFICATE----- blocks");
      }
      return certificates;
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("certificate file " + pem + " does not exist");
    } catch (IOException | GeneralSecurityException e) {
      throw new InvalidInputException(
          "cannot read certificates from "
              + pem
              + " ("
              + e.getMessage()
              + "); give a PEM file with -----BEGIN CERTIFICATE----- blocks");
    }
  }

  /** A client context trusting exactly the certificates of {@code pem}. */
  public static SSLContext sslContext(Path pem) {
    List<X509Certificate> certificates = read(pem);
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      for (int i = 0; i < certificates.size(); i++) {
        trust.setCertificateEntry("trusted-" + i, certificates.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("the JDK could not build a TLS context: " + e, e);
    }
  }
}
