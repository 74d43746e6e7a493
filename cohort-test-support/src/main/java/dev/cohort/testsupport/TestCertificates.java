package dev.cohort.testsupport;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private certificate authority for TLS tests: issues server certificates for loopback names and
 * writes them as the PEM files the servers and clients under test read.
 */
public final class TestCertificates {
  private static final Duration VALIDITY = Duration.ofDays(2);
  private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());

  /** A certificate and its private key. */
  public record Issued(X509Certificate certificate, PrivateKey key) {
    /** Writes the certificate and the PKCS#8 key as PEM files. */
    public void write(Path certificatePem, Path keyPem) {
      TestCertificates.write(certificatePem, "CERTIFICATE", encoded(certificate));
      TestCertificates.write(keyPem, "PRIVATE KEY", key.getEncoded());
    }

    public BigInteger serial() {
      return certificate.getSerialNumber();
    }

    /** A server-side TLS context presenting this certificate (e.g. for a JDK HttpsServer). */
    public SSLContext serverContext() {
      try {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        char[] password = "test".toCharArray();
        keys.setKeyEntry("server", key, password, new Certificate[] {certificate});
        KeyManagerFactory factory =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final Issued authority;

  private TestCertificates(Issued authority) {
    this.authority = authority;
  }

  /** A new authority named {@code name}. */
  public static TestCertificates authority(String name) {
    KeyPair pair = keyPair();
    X500Name subject = new X500Name("CN=" + name);
    return new TestCertificates(
        new Issued(
            sign(subject, subject, pair, pair.getPrivate(), List.of(), true), pair.getPrivate()));
  }

  /** A certificate for {@code names} (IP addresses or DNS names) signed by this authority. */
  public Issued issue(String commonName, String... names) {
    KeyPair pair = keyPair();
    X500Name issuer = new X500Name(authority.certificate().getSubjectX500Principal().getName());
    return new Issued(
        sign(
            issuer, new X500Name("CN=" + commonName), pair, authority.key(), List.of(names), false),
        pair.getPrivate());
  }

  /** A certificate for {@code names} that signs itself: trusted by nobody. */
  public static Issued selfSigned(String commonName, String... names) {
    KeyPair pair = keyPair();
    X500Name subject = new X500Name("CN=" + commonName);
    return new Issued(
        sign(subject, subject, pair, pair.getPrivate(), List.of(names), false), pair.getPrivate());
  }

  public X509Certificate certificate() {
    return authority.certificate();
  }

  /** Writes the authority's certificate as PEM: what a client trusts. */
  public Path writeAuthority(Path pem) {
    write(pem, "CERTIFICATE", encoded(authority.certificate()));
    return pem;
  }

  private static X509Certificate sign(
      X500Name issuer,
      X500Name subject,
      KeyPair subjectKeys,
      PrivateKey signer,
      List<String> names,
      boolean authority) {
    Instant now = Instant.now();
    try {
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              BigInteger.valueOf(SERIALS.incrementAndGet()),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(VALIDITY)),
              subject,
              subjectKeys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(
              authority
                  ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                  : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      if (!names.isEmpty()) {
        List<GeneralName> alternatives = new ArrayList<>();
        for (String name : names) {
          alternatives.add(
              isIpAddress(name)
                  ? new GeneralName(GeneralName.iPAddress, name)
                  : new GeneralName(GeneralName.dNSName, name));
        }
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(alternatives.toArray(GeneralName[]::new)));
      }
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer)));
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("could not make a test certificate: " + e, e);
    }
  }

  private static boolean isIpAddress(String name) {
    return name.chars().allMatch(c -> Character.isDigit(c) || c == '.' || c == ':');
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(Path pem, String type, byte[] der) {
    String text =
        "-----BEGIN "
            + type
            + "-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der)
            + "\n-----END "
            + type
            + "-----\n";
    try {
      Files.writeString(pem, text, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalStateException("could not write " + pem, e);
    }
  }
}
