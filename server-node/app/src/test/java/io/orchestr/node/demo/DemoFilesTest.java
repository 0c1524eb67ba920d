package io.orchestr.node.demo;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which {@code file=} values the demo handlers may write: only files inside the demo directory. */
class DemoFilesTest {
    @TempDir
    Path dir;
    @TempDir
    Path elsewhere;
    private DemoFiles files;

    @BeforeEach
    void confine() {
        files = new DemoFiles(dir);
    }

    @Test
    void aRelativePathIsTakenInsideTheDirectoryAndAnAbsoluteOneInsideItIsKept() throws IOException {
        Files.createDirectory(dir.resolve("ticks"));

        assertThat(files.resolve("t.log")).isEqualTo(dir.toRealPath().resolve("t.log"));
        assertThat(files.resolve("ticks/../ticks/t.log")).isEqualTo(dir.toRealPath().resolve("ticks/t.log"));
        assertThat(files.resolve(dir.toRealPath().resolve("ticks/t.log").toString()))
                .isEqualTo(dir.toRealPath().resolve("ticks/t.log"));
    }

    @Test
    void anAbsolutePathOutsideTheDirectoryIsRefusedNamingBoth() throws IOException {
        String outside = elsewhere.resolve("bashrc").toString();

        assertThatThrownBy(() -> files.resolve(outside)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file=" + outside + " is outside the demo directory " + dir.toRealPath());
    }

    @Test
    void dotDotThatLeavesTheDirectoryIsRefused() {
        assertThatThrownBy(() -> files.resolve("../escaped.log")).hasMessageContaining("outside the demo directory");
        assertThatThrownBy(() -> files.resolve(".")).hasMessageContaining("outside the demo directory");
    }

    @Test
    void aFolderThatIsASymbolicLinkToElsewhereIsRefused() throws IOException {
        Files.createSymbolicLink(dir.resolve("out"), elsewhere);

        assertThatThrownBy(() -> files.resolve("out/escaped.log")).hasMessageContaining("outside the demo directory");
    }

    @Test
    void aFileThatIsASymbolicLinkIsRefusedAndNotWrittenThroughIfPlantedLater() throws IOException {
        Path target = Files.writeString(elsewhere.resolve("bashrc"), "kept\n");
        Path file = files.resolve("t.log");
        Files.createSymbolicLink(dir.resolve("t.log"), target);

        assertThatThrownBy(() -> files.resolve("t.log")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file=t.log is a symbolic link");
        assertThatThrownBy(() -> DemoFiles.append(file, "forged\n")).isInstanceOf(IOException.class);
        assertThat(Files.readString(target)).isEqualTo("kept\n");
    }

    @Test
    void aFileInAFolderThatDoesNotExistIsRefusedNamingTheValue() throws IOException {
        assertThatThrownBy(() -> files.resolve("missing/t.log")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file=missing/t.log is in a folder that does not exist;")
                .hasMessageContaining("demo types write only under " + dir.toRealPath());
    }

    @Test
    void theDirectoryIsCreatedWhenMissing() {
        Path missing = dir.resolve("demo/files");

        assertThat(new DemoFiles(missing).root()).isDirectory();
    }
}
