package io.orchestr.manager.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The bearer tokens of a tokens file: one {@code role:sha256hex(token)} line per token, the hash in hex (upper or
 * lower case); blank lines and lines starting with {@code #} are skipped. Only hashes are kept, so neither the file
 * nor a log line holds a token; a token is named by the start of its hash ({@link #name}).
 */
public final class ApiTokens {
    private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");
    private static final int NAME_LENGTH = 12;

    private final Map<String, String> roleByHash;

    private ApiTokens(Map<String, String> roleByHash) {
        this.roleByHash = Map.copyOf(roleByHash);
    }

    /** No tokens at all (no tokens file). */
    public static ApiTokens none() {
        return new ApiTokens(Map.of());
    }

    /**
     * Reads a tokens file.
     *
     * @throws IllegalArgumentException naming the file and line of a line that is not {@code role:hash} with a
     *                                  known role; the line itself is not repeated, since it may hold a plain token
     * @throws UncheckedIOException     when the file cannot be read
     */
    public static ApiTokens read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API tokens file " + file + " (ORCHESTR_API_TOKENS_FILE)",
                    e);
        }
        Map<String, String> roleByHash = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String role = colon < 0 ? "" : line.substring(0, colon).strip();
            String hash = colon < 0 ? "" : line.substring(colon + 1).strip();
            if (!Roles.known(role) || !HASH.matcher(hash).matches()) {
                throw new IllegalArgumentException("line " + (i + 1) + " of the API tokens file " + file
                        + " is not 'role:sha256hex(token)' with a role of " + Roles.ALL
                        + " and 64 hex digits (the line is not shown: it may hold a token)");
            }
            roleByHash.put(hash.toLowerCase(), role);
        }
        return new ApiTokens(roleByHash);
    }

    /** The role of {@code token}, if the file lists its hash. */
    public Optional<String> role(String token) {
        return Optional.ofNullable(roleByHash.get(hash(token)));
    }

    /** How a token is named in the job's history and logs: {@code token-} and the first hex digits of its hash. */
    public static String name(String token) {
        return "token-" + hash(token).substring(0, NAME_LENGTH);
    }

    /** How many tokens each role has, for the start-up log. */
    public Map<String, Integer> countByRole() {
        Map<String, Integer> counts = new TreeMap<>();
        roleByHash.values().forEach(role -> counts.merge(role, 1, Integer::sum));
        return counts;
    }

    /** The lower-case hex SHA-256 of {@code token}'s UTF-8 bytes, as {@code sha256sum} prints it. */
    public static String hash(String token) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
