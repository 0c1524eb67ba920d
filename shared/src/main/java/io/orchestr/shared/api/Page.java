package io.orchestr.shared.api;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items the page's items
 * @param page  its number, from 0
 * @param size  the page size asked for
 * @param total how many items match in all
 */
public record Page<T>(List<T> items, int page, int size, long total) {
    public Page {
        items = List.copyOf(items);
    }
}
