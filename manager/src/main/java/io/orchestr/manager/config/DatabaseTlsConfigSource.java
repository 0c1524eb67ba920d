package io.orchestr.manager.config;

import io.smallrye.config.common.MapBackedConfigSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Connector/J's trust store for TLS to the database, from {@code ORCHESTR_DB_TLS_TRUST_STORE} (a PKCS12 file) and
 * {@code ORCHESTR_DB_TLS_TRUST_STORE_PASSWORD}. A config source rather than a line of {@code application.properties}
 * because the JDBC property must be absent, not empty, when the variable is unset (Quarkus refuses an empty one),
 * and Connector/J then checks against the JVM's trust store. {@code ORCHESTR_DB_TLS_MODE} says whether it checks.
 */
public final class DatabaseTlsConfigSource extends MapBackedConfigSource {
    static final String JDBC_PROPERTY = "quarkus.datasource.jdbc.additional-jdbc-properties.";
    /** Below the environment (300) and {@code application.properties} (250): an explicit setting wins. */
    private static final int ORDINAL = 200;

    /** Reads the process's environment; what the service loader calls. */
    public DatabaseTlsConfigSource() {
        this(System.getenv());
    }

    DatabaseTlsConfigSource(Map<String, String> env) {
        super("orchestr-database-tls", propertiesOf(env), ORDINAL);
    }

    private static Map<String, String> propertiesOf(Map<String, String> env) {
        Map<String, String> found = new HashMap<>();
        String store = env.getOrDefault("ORCHESTR_DB_TLS_TRUST_STORE", "");
        if (!store.isBlank()) {
            found.put(JDBC_PROPERTY + "trustCertificateKeyStoreUrl", Path.of(store).toUri().toString());
            found.put(JDBC_PROPERTY + "trustCertificateKeyStoreType", "PKCS12");
            String password = env.getOrDefault("ORCHESTR_DB_TLS_TRUST_STORE_PASSWORD", "");
            if (!password.isEmpty()) {
                found.put(JDBC_PROPERTY + "trustCertificateKeyStorePassword", password);
            }
        }
        return Map.copyOf(found);
    }
}
