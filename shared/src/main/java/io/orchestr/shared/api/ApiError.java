package io.orchestr.shared.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of every 4xx and 5xx answer.
 *
 * @param error what went wrong, in words
 * @param field the request field at fault, when one is
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String field) {
    public static ApiError of(String error) {
        return new ApiError(error, null);
    }
}
