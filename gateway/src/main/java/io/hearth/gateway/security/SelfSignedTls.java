package io.hearth.gateway.security;

import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS certificate used when {@code http.tls.enabled} is on and no {@code http.tls.keyStore}
 * is given: an EC P-256 key and a self-signed certificate (10 years) made at the first start into
 * {@code <data.dir>/tls/} (the key owner-only) and reused after. Its subject alternative names
 * cover {@code localhost}, the loopback addresses, {@code http.host} and, when that is a wildcard,
 * the machine's LAN addresses at the time. Its SHA-256 fingerprint is logged at every start, so a
 * phone can pin it. Blocking (key generation, files): call off the event loop.
 */
public final class SelfSignedTls {
  static final String CERT_FILE = "tls/hearth-cert.pem";
  static final String KEY_FILE = "tls/hearth-key.pem";
  private static final Duration VALIDITY = Duration.ofDays(3650);
  private static final Logger LOG = LoggerFactory.getLogger(SelfSignedTls.class);

  /** The certificate in use: PEM files and the SHA-256 fingerprint to pin. */
  public record Material(Path certFile, Path keyFile, String sha256, boolean generated) {
    /** For {@code HttpServerOptions.setKeyCertOptions}. */
    public PemKeyCertOptions keyCertOptions() {
      return new PemKeyCertOptions().setCertPath(certFile.toString()).setKeyPath(keyFile.toString());
    }
  }

  private SelfSignedTls() {}

  /** Reuses the certificate in the data folder, or makes one for {@code host}. */
  public static Material ensure(Path dataDir, String host) throws IOException {
    Path cert = dataDir.resolve(CERT_FILE);
    Path key = dataDir.resolve(KEY_FILE);
    boolean generated = false;
    if (!Files.exists(cert) || !Files.exists(key)) {
      generate(cert, key, host);
      generated = true;
    }
    String sha256 = fingerprint(read(cert));
    LOG.info("TLS certificate {} [file: {}, sha256: {}]", generated ? "generated" : "loaded", cert, sha256);
    return new Material(cert, key, sha256, generated);
  }

  /** The certificate's SHA-256 fingerprint as {@code AB:CD:…} (the form openssl and browsers show). */
  public static String fingerprint(X509Certificate cert) {
    try {
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(Secrets.digest(cert.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads a PEM certificate. */
  public static X509Certificate read(Path pem) throws IOException {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
    } catch (GeneralSecurityException e) {
      throw new IOException("not a PEM certificate: " + pem + " (" + e.getMessage() + ")");
    }
  }

  private static void generate(Path certFile, Path keyFile, String host) throws IOException {
    try {
      KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
      kpg.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = kpg.generateKeyPair();
      X500Name subject = new X500Name("CN=Hearth gateway,O=Hearth");
      Instant now = Instant.now();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
          new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
          Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names(host)));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      X509Certificate cert = new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      Secrets.writePrivate(keyFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
      Secrets.writePrivate(certFile, pem("CERTIFICATE", cert.getEncoded()));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot make a self-signed certificate: " + e.getMessage(), e);
    }
  }

  private static GeneralName[] names(String host) {
    Set<GeneralName> names = new LinkedHashSet<>();
    names.add(new GeneralName(GeneralName.dNSName, "localhost"));
    names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    names.add(new GeneralName(GeneralName.iPAddress, "::1"));
    String h = host == null ? "" : host.trim().toLowerCase(Locale.ROOT);
    boolean wildcard = h.isEmpty() || h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]");
    if (!wildcard) {
      names.add(new GeneralName(isIpLiteral(h) ? GeneralName.iPAddress : GeneralName.dNSName, h));
    } else {
      try {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
          for (InetAddress a : Collections.list(nif.getInetAddresses())) {
            if (!a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
              names.add(new GeneralName(GeneralName.iPAddress, a.getHostAddress().replaceAll("%.*$", "")));
            }
          }
        }
      } catch (SocketException e) {
        LOG.debug("network interfaces not listed [reason: {}]", e.getMessage());
      }
    }
    return names.toArray(GeneralName[]::new);
  }

  private static boolean isIpLiteral(String h) {
    return h.matches("[0-9.]+") || h.contains(":");
  }

  private static byte[] pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
        .getBytes(StandardCharsets.US_ASCII);
  }
}
