package io.orchestr.node.exec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The last {@value #SIZE} bytes of a stream, read as UTF-8 text cut at a character. Thread-safe. */
final class Tail {
    static final int SIZE = 4096;

    private final byte[] ring = new byte[SIZE];
    private long written;

    synchronized void add(byte[] bytes, int length) {
        int from = Math.max(0, length - SIZE);
        written += from; // bytes that would be overwritten at once
        for (int i = from; i < length; i++) {
            ring[(int) (written++ % SIZE)] = bytes[i];
        }
    }

    /** The tail as text: a character cut at its start is left out, one cut at its end too. */
    synchronized String text() {
        int size = (int) Math.min(written, SIZE);
        byte[] last = new byte[size];
        for (int i = 0; i < size; i++) {
            last[i] = ring[(int) ((written - size + i) % SIZE)];
        }
        int start = 0;
        while (start < size && (last[start] & 0xC0) == 0x80) {
            start++; // continuation bytes of a character whose first byte fell out
        }
        int end = size;
        int lead = end - 1;
        while (lead >= start && (last[lead] & 0xC0) == 0x80) {
            lead--;
        }
        if (lead >= start && sequenceLength(last[lead]) > end - lead) {
            end = lead; // the last character is not whole yet
        }
        return new String(Arrays.copyOfRange(last, start, end), StandardCharsets.UTF_8);
    }

    private static int sequenceLength(byte lead) {
        if ((lead & 0x80) == 0) {
            return 1;
        }
        if ((lead & 0xE0) == 0xC0) {
            return 2;
        }
        return (lead & 0xF0) == 0xE0 ? 3 : 4;
    }
}
