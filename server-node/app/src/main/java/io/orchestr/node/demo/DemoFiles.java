package io.orchestr.node.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one directory the demo handlers write in ({@code ORCHESTR_NODE_DEMO_DIR}, the node's working folder by
 * default). A job's argument picks the file, and anyone who can create a job picks the argument: a file outside
 * the directory would let them append lines to the node user's files (a shell's start-up file, for one).
 */
final class DemoFiles {
    private final Path root;

    /**
     * Confines demo files to {@code dir}, created if missing.
     *
     * @throws UncheckedIOException when the directory cannot be created or read
     */
    DemoFiles(Path dir) {
        try {
            this.root = Files.createDirectories(dir).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("the demo directory " + dir.toAbsolutePath()
                    + " (ORCHESTR_NODE_DEMO_DIR) cannot be created or read: " + e.getMessage(), e);
        }
    }

    /** The directory, as a real path (no symbolic links, no {@code ..}). */
    Path root() {
        return root;
    }

    /**
     * Where a demo argument's {@code file=} value points: a relative path is taken inside the directory, an
     * absolute one must already be inside it. The file's parent folder must exist, and its real path (symbolic
     * links followed) must be inside the directory too; the file itself must not be a symbolic link.
     *
     * @throws IllegalArgumentException naming the value and the directory when the file would be outside it
     */
    Path resolve(String file) {
        Path asked;
        try {
            asked = root.resolve(file).normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("demo argument file=" + file + " is not a path: " + e.getMessage(), e);
        }
        Path parent = asked.getParent();
        if (parent == null || asked.getFileName() == null) {
            throw outside(file);
        }
        Path realParent;
        try {
            realParent = parent.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("demo argument file=" + file + " is in a folder that does not exist;"
                    + " demo types write only under " + root, e);
        }
        // the real parent, not the path as asked: '..' and links in it are resolved as the system would
        if (!realParent.startsWith(root)) {
            throw outside(file);
        }
        Path resolved = realParent.resolve(asked.getFileName());
        if (Files.isSymbolicLink(resolved)) {
            throw new IllegalArgumentException("demo argument file=" + file + " is a symbolic link: demo types write"
                    + " only to plain files in the demo directory " + root);
        }
        return resolved;
    }

    /**
     * Appends {@code line} to {@code file} (from {@link #resolve}), creating it if needed; refuses a file that is
     * a symbolic link, so that a link planted after {@link #resolve} cannot send the line elsewhere.
     */
    static void append(Path file, String line) throws IOException {
        Files.writeString(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
    }

    private IllegalArgumentException outside(String file) {
        return new IllegalArgumentException("demo argument file=" + file + " is outside the demo directory " + root
                + " (ORCHESTR_NODE_DEMO_DIR): demo types write only there");
    }
}
