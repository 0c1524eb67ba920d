package io.orchestr.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * The admin bearer token of the managers that the e2e tests and the bench start (access control is on, as in
 * production): random per JVM, with a tokens file of its {@code admin:sha256hex} line in a temporary folder.
 */
public final class AdminToken {
    private static final AdminToken INSTANCE = create();

    private final String token;
    private final Path tokensFile;

    private AdminToken(String token, Path tokensFile) {
        this.token = token;
        this.tokensFile = tokensFile;
    }

    /** The one admin token of this JVM. */
    public static AdminToken get() {
        return INSTANCE;
    }

    /** The token itself, for {@code Authorization: Bearer}. */
    public String token() {
        return token;
    }

    /** {@code Authorization} header value. */
    public String header() {
        return "Bearer " + token;
    }

    /**
     * What every process of a cluster gets: {@code ORCHESTR_API_TOKENS_FILE} (read by managers) and
     * {@code ORCHESTR_TOKEN} (read by the nodes' controllers, the CLI and the Java client).
     */
    public Map<String, String> environment() {
        return Map.of("ORCHESTR_API_TOKENS_FILE", tokensFile.toString(), "ORCHESTR_TOKEN", token);
    }

    private static AdminToken create() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
            Path file = Files.createTempFile("orchestr-api-tokens", "");
            file.toFile().deleteOnExit();
            Files.writeString(file, "admin:" + hash + "\n");
            return new AdminToken(token, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
