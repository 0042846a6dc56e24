package io.customersessions.api.management;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * One page of a Management API listing: {@code {"hasMore": true, "data": [...]}}. {@code hasMore} is true when
 * sessions matching the query follow this page (a request with a larger {@code skip} would return them).
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ApplicationSessionPage(boolean hasMore, List<ApplicationSession> data) {

    public ApplicationSessionPage {
        data = List.copyOf(data);
    }
}
