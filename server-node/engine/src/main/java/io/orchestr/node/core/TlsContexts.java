package io.orchestr.node.core;

import io.orchestr.node.RabbitMqTls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/** Builds the {@link SSLContext} of a node's broker connection from its {@link RabbitMqTls} settings. */
final class TlsContexts {
    private TlsContexts() {
    }

    /**
     * A TLS context that trusts the authorities of the trust store (the JVM's when none is given) and shows the
     * key store's certificate if one is given.
     *
     * @throws IllegalArgumentException when a store cannot be read or opened with its password, naming the file
     */
    static SSLContext of(RabbitMqTls tls) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            // null: the JVM's default trust store (cacerts, or javax.net.ssl.trustStore)
            trust.init(tls.trustStore().map(file -> load(file, tls.trustStorePassword(), "trust store"))
                    .orElse(null));
            KeyManager[] keys = null;
            if (tls.keyStore().isPresent()) {
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(load(tls.keyStore().get(), tls.keyStorePassword(), "key store"),
                        tls.keyStorePassword().toCharArray());
                keys = factory.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS to the broker: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path file, String password, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.isEmpty() ? null : password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the TLS " + what + " " + file + " (a PKCS12 file and its"
                    + " password): " + e.getMessage(), e);
        }
    }
}
