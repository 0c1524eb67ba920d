package io.orchestr.client;

import io.orchestr.shared.Limits;

/** A page number (from 0) and size (1 to 1000). */
public record PageRequest(int page, int size) {
    public PageRequest {
        if (page < 0) {
            throw new IllegalArgumentException("page must be 0 or more, was " + page);
        }
        if (size < 1 || size > Limits.PAGE_SIZE) {
            throw new IllegalArgumentException("size must be 1 to " + Limits.PAGE_SIZE + ", was " + size);
        }
    }

    public static PageRequest first(int size) {
        return new PageRequest(0, size);
    }
}
