package io.orchestr.manager.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tokens file: {@code role:sha256hex} lines, read into hashes only. */
class ApiTokensTest {
    @TempDir
    Path dir;

    @Test
    void aTokenHasTheRoleOfItsHashesLineWhateverTheHexCaseAndCommentsAndBlankLinesAreSkipped() throws IOException {
        Path file = Files.writeString(dir.resolve("tokens"), "# the team\n\nviewer:" + ApiTokens.hash("v") + "\n"
                + " operator : " + ApiTokens.hash("o").toUpperCase() + " \nadmin:" + ApiTokens.hash("a") + "\n");

        ApiTokens tokens = ApiTokens.read(file);

        assertThat(tokens.role("v")).contains("viewer");
        assertThat(tokens.role("o")).contains("operator");
        assertThat(tokens.role("a")).contains("admin");
        assertThat(tokens.role("x")).isEmpty();
        assertThat(tokens.countByRole()).isEqualTo(Map.of("admin", 1, "operator", 1, "viewer", 1));
    }

    @Test
    void aHashIsSha256InLowerCaseHexAsSha256sumPrintsItAndANameShowsOnlyItsStart() {
        // echo -n secret | sha256sum
        assertThat(ApiTokens.hash("secret"))
                .isEqualTo("2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b");
        assertThat(ApiTokens.name("secret")).isEqualTo("token-2bb80d537b1d");
    }

    @Test
    void aLineThatIsNotRoleAndHashStopsTheStartNamingItsNumberButNotItsContent() throws IOException {
        Path plain = Files.writeString(dir.resolve("plain"), "viewer:" + ApiTokens.hash("v") + "\nadmin:s3cret\n");
        Path role = Files.writeString(dir.resolve("role"), "root:" + ApiTokens.hash("r") + "\n");

        assertThatThrownBy(() -> ApiTokens.read(plain)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2 of").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> ApiTokens.read(role)).hasMessageContaining("line 1 of")
                .hasMessageContaining("[viewer, operator, exec, admin]");
    }
}
