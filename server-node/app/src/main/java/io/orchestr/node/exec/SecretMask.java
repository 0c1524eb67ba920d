package io.orchestr.node.exec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Writes the commands' output on to a sink with every secret value their environments got replaced by
 * {@code ***}, so that neither the run's output file ({@code GET /api/jobs/{id}/output}) nor the result's tails
 * show one a command printed. A value may be split across two writes: each stream keeps back the bytes at its end
 * that are the start of one until the next write, or {@link #flush}, so output that ends with no such start goes
 * out at once. Values shorter than {@link #SHORTEST} are not masked
 * (masking every "1" would garble the output and hide nothing). Thread-safe: a run's steps write concurrently.
 */
final class SecretMask implements ProcessTree.Sink {
    static final int SHORTEST = 4;
    private static final byte[] MASK = "***".getBytes(StandardCharsets.UTF_8);

    private final ProcessTree.Sink sink;
    private final List<byte[]> secrets = new ArrayList<>();
    private final ByteArrayOutputStream heldOut = new ByteArrayOutputStream();
    private final ByteArrayOutputStream heldErr = new ByteArrayOutputStream();
    private int longest;

    SecretMask(ProcessTree.Sink sink) {
        this.sink = sink;
    }

    /** Masks {@code value} from now on. */
    synchronized void add(String value) {
        if (value.length() < SHORTEST) {
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (secrets.stream().noneMatch(known -> Arrays.equals(known, bytes))) {
            secrets.add(bytes);
            secrets.sort(Comparator.comparingInt((byte[] secret) -> secret.length).reversed()); // longest first
            longest = Math.max(longest, bytes.length);
        }
    }

    @Override
    public synchronized void write(boolean isError, byte[] bytes, int length) {
        ByteArrayOutputStream held = isError ? heldErr : heldOut;
        held.write(bytes, 0, length);
        byte[] masked = masked(held.toByteArray());
        int keep = partialSecretAtEnd(masked);
        held.reset();
        held.write(masked, masked.length - keep, keep);
        if (masked.length > keep) {
            sink.write(isError, masked, masked.length - keep);
        }
    }

    /** Writes what each stream kept back: the run's output ended. */
    synchronized void flush() {
        for (boolean isError : new boolean[]{false, true}) {
            ByteArrayOutputStream held = isError ? heldErr : heldOut;
            if (held.size() > 0) {
                byte[] rest = masked(held.toByteArray());
                held.reset();
                sink.write(isError, rest, rest.length);
            }
        }
    }

    private byte[] masked(byte[] data) {
        if (secrets.isEmpty()) {
            return data;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
        int i = 0;
        scan:
        while (i < data.length) {
            for (byte[] secret : secrets) {
                if (startsWith(data, i, secret)) {
                    out.write(MASK, 0, MASK.length);
                    i += secret.length;
                    continue scan;
                }
            }
            out.write(data[i++]);
        }
        return out.toByteArray();
    }

    /** How many of the last bytes of {@code data} are the start of a secret, which the next write may complete. */
    private int partialSecretAtEnd(byte[] data) {
        for (int length = Math.min(data.length, longest - 1); length > 0; length--) {
            int at = data.length - length;
            for (byte[] secret : secrets) {
                if (secret.length > length && startsWith(secret, 0, Arrays.copyOfRange(data, at,
                        data.length))) {
                    return length;
                }
            }
        }
        return 0;
    }

    private static boolean startsWith(byte[] data, int at, byte[] prefix) {
        if (data.length - at < prefix.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (data[at + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }
}
