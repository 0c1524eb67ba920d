package io.orchestr.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * A certificate authority of the test's own, made with the {@code openssl} command line: server certificates for
 * {@code localhost} and {@code 127.0.0.1}, and for {@code localhost} alone, and a client certificate, all signed by
 * it, and PKCS12 trust stores of
 * it and of a second, unrelated authority. The files are readable by everyone, as Debian's rabbitmq-server reads
 * them as the {@code rabbitmq} user; they are test keys, worthless outside the test.
 */
final class TestCertificates {
    /** The password of every PKCS12 file made here. */
    static final String PASSWORD = "orchestr-test";

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** Makes the authorities, certificates and stores in a new temporary directory. */
    static TestCertificates create() {
        try {
            Path dir = Files.createTempDirectory("orchestr-tls-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            TestCertificates certificates = new TestCertificates(dir);
            certificates.authority("ca");
            certificates.authority("other-ca");
            certificates.signed("server", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1");
            certificates.signed("localhost", "localhost", "subjectAltName=DNS:localhost");
            certificates.signed("client", "orchestr-client", "extendedKeyUsage=clientAuth");
            certificates.trustStore("ca");
            certificates.trustStore("other-ca");
            certificates.openssl("pkcs12", "-export", "-in", certificates.file("client.pem"), "-inkey",
                    certificates.file("client.key"), "-out", certificates.file("client.p12"), "-passout",
                    "pass:" + PASSWORD);
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
            return certificates;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the test's certificates", e);
        }
    }

    /** PEM certificate of the authority that signed the servers' and the client's certificates. */
    Path authorityPem() {
        return dir.resolve("ca.pem");
    }

    /** PEM certificate and key of a server, for {@code localhost} and {@code 127.0.0.1}. */
    Path serverPem() {
        return dir.resolve("server.pem");
    }

    Path serverKey() {
        return dir.resolve("server.key");
    }

    /** PEM certificate and key of a server named {@code localhost} only: not {@code 127.0.0.1}. */
    Path localhostOnlyPem() {
        return dir.resolve("localhost.pem");
    }

    Path localhostOnlyKey() {
        return dir.resolve("localhost.key");
    }

    /** PKCS12 trust store of the authority that signed the servers' certificates. */
    Path trustStore() {
        return dir.resolve("ca.p12");
    }

    /** PKCS12 trust store of an authority that signed nothing the broker shows. */
    Path otherTrustStore() {
        return dir.resolve("other-ca.p12");
    }

    /** PKCS12 key store of the client certificate and its key (mutual TLS). */
    Path clientKeyStore() {
        return dir.resolve("client.p12");
    }

    private void authority(String name) {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=orchestr-test-" + name,
                "-keyout", file(name + ".key"), "-out", file(name + ".pem"));
    }

    private void signed(String name, String commonName, String extension) throws IOException {
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + commonName, "-keyout", file(name + ".key"),
                "-out", file(name + ".csr"));
        Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
        openssl("x509", "-req", "-in", file(name + ".csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"),
                "-CAcreateserial", "-days", "2", "-extfile", file(name + ".ext"), "-out", file(name + ".pem"));
    }

    private void trustStore(String authority) {
        try (InputStream pem = Files.newInputStream(dir.resolve(authority + ".pem"));
             OutputStream out = Files.newOutputStream(dir.resolve(authority + ".p12"))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry(authority, CertificateFactory.getInstance("X.509").generateCertificate(pem));
            store.store(out, PASSWORD.toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the trust store of " + authority, e);
        }
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private void openssl(String... arguments) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Path log = dir.resolve("openssl.log");
        if (Commands.exitCode(command, log) != 0) {
            throw new IllegalStateException("this test makes its certificates with the openssl command line, and "
                    + command + " failed (see " + log + ")");
        }
    }
}
