package io.orchestr.shared.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The body of every 4xx and 5xx answer.
 *
 * @param error what went wrong, in words
 * @param field the request field at fault, when one is
 * @param index the element of a batch at fault, counted from 0, when one is
 * @param names the job names a 409 found taken, in the order the request gave them
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String field, Integer index, List<String> names) {
    public ApiError(String error, String field) {
        this(error, field, null, null);
    }

    public static ApiError of(String error) {
        return new ApiError(error, null);
    }
}
