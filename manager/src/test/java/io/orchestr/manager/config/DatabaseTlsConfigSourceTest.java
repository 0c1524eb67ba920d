package io.orchestr.manager.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseTlsConfigSourceTest {
    private static final String JDBC = DatabaseTlsConfigSource.JDBC_PROPERTY;

    @Test
    void aTrustStoreAndItsPasswordBecomeConnectorJsTrustStoreProperties() {
        DatabaseTlsConfigSource source = new DatabaseTlsConfigSource(Map.of(
                "ORCHESTR_DB_TLS_TRUST_STORE", "/etc/orchestr/db ca.p12",
                "ORCHESTR_DB_TLS_TRUST_STORE_PASSWORD", "s3cret"));

        assertThat(source.getProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                JDBC + "trustCertificateKeyStoreUrl", "file:///etc/orchestr/db%20ca.p12",
                JDBC + "trustCertificateKeyStoreType", "PKCS12",
                JDBC + "trustCertificateKeyStorePassword", "s3cret"));
    }

    @Test
    void withoutATrustStoreTheSourceSetsNothingSoConnectorJUsesTheJvmsTrustStore() {
        assertThat(new DatabaseTlsConfigSource(Map.of("ORCHESTR_DB_TLS_TRUST_STORE", "",
                "ORCHESTR_DB_TLS_TRUST_STORE_PASSWORD", "ignored")).getProperties()).isEmpty();
        assertThat(new DatabaseTlsConfigSource(Map.of()).getPropertyNames()).isEmpty();
    }

    @Test
    void aTrustStoreWithoutAPasswordSetsNoPassword() {
        assertThat(new DatabaseTlsConfigSource(Map.of("ORCHESTR_DB_TLS_TRUST_STORE", "/ca.p12")).getProperties())
                .containsOnlyKeys(JDBC + "trustCertificateKeyStoreUrl", JDBC + "trustCertificateKeyStoreType");
    }
}
