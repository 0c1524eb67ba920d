package io.orchestr.node;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How a node's broker connection uses TLS (an {@code amqps} listener, 5671 on most brokers). The broker's
 * certificate is always checked: against {@code trustStore} when given, else against the JVM's default trust store.
 *
 * @param trustStore         PKCS12 file of the certificate authorities the node trusts; empty: the JVM's trust store
 * @param trustStorePassword password of {@code trustStore} (never logged); empty when it has none
 * @param keyStore           PKCS12 file of the node's own certificate and key, for brokers that ask clients for one
 *                           (mutual TLS); empty: the node shows none
 * @param keyStorePassword   password of {@code keyStore} and of its key (never logged)
 * @param verifyHostname     whether the broker's certificate must name the host the node connects to; true by
 *                           default, and turning it off lets anyone with a certificate from a trusted authority
 *                           pose as the broker
 */
public record RabbitMqTls(Optional<Path> trustStore, String trustStorePassword, Optional<Path> keyStore,
                          String keyStorePassword, boolean verifyHostname) {

    public RabbitMqTls {
        if (trustStore == null || keyStore == null || trustStorePassword == null || keyStorePassword == null) {
            throw new IllegalArgumentException("TLS stores and passwords must not be null (empty when absent)");
        }
    }

    /** TLS checked against the JVM's default trust store, with hostname verification, no client certificate. */
    public static RabbitMqTls jvmTrustStore() {
        return new RabbitMqTls(Optional.empty(), "", Optional.empty(), "", true);
    }

    /** Trusts the certificate authorities in the PKCS12 file {@code file} instead of the JVM's. */
    public RabbitMqTls withTrustStore(Path file, String password) {
        return new RabbitMqTls(Optional.of(file), password, keyStore, keyStorePassword, verifyHostname);
    }

    /** Shows the certificate in the PKCS12 file {@code file} to the broker (mutual TLS). */
    public RabbitMqTls withKeyStore(Path file, String password) {
        return new RabbitMqTls(trustStore, trustStorePassword, Optional.of(file), password, verifyHostname);
    }

    /** Whether the broker's certificate must name the host the node connects to. */
    public RabbitMqTls withHostnameVerification(boolean verify) {
        return new RabbitMqTls(trustStore, trustStorePassword, keyStore, keyStorePassword, verify);
    }

    /** Leaves the passwords out. */
    @Override
    public String toString() {
        return "TLS (trust " + trustStore.map(Path::toString).orElse("the JVM's trust store")
                + keyStore.map(file -> ", client certificate " + file).orElse("")
                + (verifyHostname ? "" : ", hostname NOT verified") + ")";
    }
}
