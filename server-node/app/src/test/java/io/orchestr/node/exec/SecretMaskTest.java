package io.orchestr.node.exec;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SecretMaskTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final SecretMask mask = new SecretMask((isError, bytes, length) -> (isError ? err : out)
            .write(bytes, 0, length));

    @Test
    void aValueSplitAcrossWritesIsMaskedAndTheRestIsWrittenWhole() {
        mask.add("hunter2-secret");

        write(false, "login hunter2-");
        write(false, "secret ok; again hunter2-secret");
        write(true, "hunter2");
        mask.flush();

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("login *** ok; again ***");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("hunter2");
    }

    @Test
    void theLongestValueIsMaskedWhereOneHoldsAnotherAndShortValuesAreLeftAlone() {
        mask.add("abcd");
        mask.add("abcdefgh");
        mask.add("1");

        write(false, "abcdefgh abcd 1");
        mask.flush();

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("*** *** 1");
    }

    private void write(boolean isError, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        mask.write(isError, bytes, bytes.length);
    }
}
