package io.hearth.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with {@code http.tls.enabled} and no key store: a self-signed certificate made once, pinned by its logged fingerprint. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TlsTest {
  @TempDir Path tmp;

  @Test
  void aGeneratedCertificateServesHttpsIsLoggedAndReused() throws Exception {
    try (LogCapture logs = new LogCapture(); TestGateway gw = TestGateway.start(tmp.resolve("data"), true)) {
      // GIVEN the certificate the gateway made in its data folder
      Path certFile = gw.dataDir.resolve(SelfSignedTls.CERT_FILE);
      X509Certificate cert = SelfSignedTls.read(certFile);
      String fingerprint = SelfSignedTls.fingerprint(cert);
      assertEquals("rw-------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(gw.dataDir.resolve(SelfSignedTls.KEY_FILE))));
      // THEN its fingerprint is logged, for pinning
      assertTrue(logs.lines().stream().anyMatch(l -> l.contains("TLS certificate generated")
          && l.contains("sha256: " + fingerprint)), String.join("\n", logs.lines()));

      // WHEN a client trusting that certificate (host name checked against 127.0.0.1) calls THEN it connects
      assertEquals(200, gw.call(HttpMethod.GET, "/health", null, null).statusCode());

      // WHEN a client trusts only the usual authorities THEN the handshake fails
      WebClient untrusting = WebClient.create(gw.clientVertx(), new WebClientOptions().setSsl(true)
          .setDefaultHost("127.0.0.1").setDefaultPort(gw.httpPort()));
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> TestGateway.await(untrusting.get("/api/v1/health").send()));
      assertTrue(e.getCause() instanceof javax.net.ssl.SSLException
          || String.valueOf(e.getCause()).toLowerCase().contains("ssl")
          || String.valueOf(e.getCause()).toLowerCase().contains("certificate"), String.valueOf(e.getCause()));
      untrusting.close();

      // WHEN it restarts THEN the same certificate is loaded again
      gw.restart();
      assertEquals(fingerprint, SelfSignedTls.fingerprint(SelfSignedTls.read(certFile)));
      assertTrue(logs.lines().stream().anyMatch(l -> l.contains("TLS certificate loaded")
          && l.contains("sha256: " + fingerprint)));
      assertEquals(200, gw.call(HttpMethod.GET, "/health", null, null).statusCode());
      assertTrue(logs.lines().stream().anyMatch(l -> l.contains("Hearth ready http=https://")));
    }
  }
}
