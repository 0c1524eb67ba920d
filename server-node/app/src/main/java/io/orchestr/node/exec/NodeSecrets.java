package io.orchestr.node.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The secrets a node holds for its commands' environments: one file per secret in a folder of the node's
 * ({@code ORCHESTR_NODE_SECRETS_DIR}, such as a Kubernetes Secret mounted as a volume), the file's name the
 * secret's name, its content the value (one trailing newline dropped). A job's params name a secret
 * ({@code {"secret": "name"}}), never its value, so no API answer, event or log line holds it. Thread-safe: reads
 * the file each time, so a rotated secret reaches the next command.
 */
final class NodeSecrets {
    /** A node without a secrets folder: every secret a command names is missing. */
    static final NodeSecrets NONE = new NodeSecrets(null);

    private final Path dir;

    /** @param dir the folder of the secrets; null for none */
    NodeSecrets(Path dir) {
        this.dir = dir;
    }

    /**
     * The value of the secret {@code name} (a name the params' parser checked: no path separator, no leading dot).
     *
     * @throws IllegalArgumentException when this node does not hold it, saying so without any value
     */
    String value(String name) {
        if (dir == null) {
            throw new IllegalArgumentException("secret '" + name + "' is not held by this node: it has no"
                    + " ORCHESTR_NODE_SECRETS_DIR");
        }
        Path file = dir.resolve(name);
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8);
            return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
        } catch (IOException e) {
            throw new IllegalArgumentException("secret '" + name + "' is not held by this node: no readable file "
                    + file, e);
        }
    }
}
