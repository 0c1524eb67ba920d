package io.orchestr.manager.auth;

import io.orchestr.manager.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * OIDC bearer tokens: with an issuer and its keys (a JWKS file made here, as an issuer publishes one), the manager
 * takes a JWT the issuer signed, with the role in the {@code orchestr_role} claim, beside the tokens file; and, with
 * {@code ORCHESTR_METRICS_AUTH=on} in the same profile, {@code /q/metrics} asks for a viewer token.
 */
@QuarkusTest
@TestProfile(OidcTokensTest.Issuer.class)
class OidcTokensTest {
    private static final String ISSUER = "https://issuer.test/realms/orchestr";
    private static final String KEY_ID = "test-key";
    /** In a file: the profile and the test class load this class in different class loaders, with one key. */
    private static final Path KEY_FILE = Path.of("target/oidc-test-issuer.key");
    private static final KeyPair KEYS = issuerKeys();
    private static final KeyPair OTHER_KEYS = rsaKeys();

    /** The issuer's JWKS in a file, and closed metrics. */
    public static class Issuer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("orchestr.oidc.issuer", ISSUER, "orchestr.oidc.jwks-url", jwksFile().toUri().toString(),
                    "quarkus.http.auth.permission.metrics.enabled", "on");
        }
    }

    @BeforeEach
    void noDefaultToken() {
        RestAssured.replaceFiltersWith(List.of());
    }

    @Test
    void anOperatorJwtOfTheIssuerCreatesAJobAndAViewerJwtMayNot() {
        as(jwt("operator", ISSUER, KEYS)).contentType(ContentType.JSON).body(newJob()).post("/api/jobs")
                .then().statusCode(201);
        as(jwt("viewer", ISSUER, KEYS)).get("/api/jobs").then().statusCode(200);
        as(jwt("viewer", ISSUER, KEYS)).contentType(ContentType.JSON).body(newJob()).post("/api/jobs")
                .then().statusCode(403).contentType(ContentType.JSON);
    }

    @Test
    void aJwtOfAnotherIssuerOrSignedByAnotherKeyOrWithoutAKnownRoleIsRefused() {
        as(jwt("admin", "https://elsewhere.test", KEYS)).get("/api/jobs").then().statusCode(401)
                .body("error", equalTo("the bearer token is not valid"));
        as(jwt("admin", ISSUER, OTHER_KEYS)).get("/api/jobs").then().statusCode(401);
        as(jwt("superuser", ISSUER, KEYS)).get("/api/jobs").then().statusCode(403);
    }

    @Test
    void theTokensFileStillCountsBesideTheIssuer() {
        as(TestTokens.VIEWER).get("/api/servers").then().statusCode(200);
        as("not-a-listed-token").get("/api/servers").then().statusCode(401);
    }

    @Test
    void closedMetricsAskForAViewerToken() {
        given().get("/q/metrics").then().statusCode(401);
        as(TestTokens.VIEWER).get("/q/metrics").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
    }

    private static String jwt(String role, String issuer, KeyPair keys) {
        return Jwt.issuer(issuer).subject("someone@example.test").claim("orchestr_role", role)
                .jws().keyId(KEY_ID).sign(keys.getPrivate());
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private static Map<String, String> newJob() {
        return Map.of("name", "oidc-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static Path jwksFile() {
        try {
            RsaJsonWebKey key = new RsaJsonWebKey((RSAPublicKey) KEYS.getPublic());
            key.setKeyId(KEY_ID);
            key.setAlgorithm("RS256");
            Path file = Files.createTempFile("orchestr-jwks", ".json");
            file.toFile().deleteOnExit();
            return Files.writeString(file, new JsonWebKeySet(key).toJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair issuerKeys() {
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            if (!Files.exists(KEY_FILE)) {
                Files.write(KEY_FILE, rsaKeys().getPrivate().getEncoded());
            }
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(
                    new PKCS8EncodedKeySpec(Files.readAllBytes(KEY_FILE)));
            return new KeyPair(rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())),
                    key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
