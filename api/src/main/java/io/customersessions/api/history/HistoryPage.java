package io.customersessions.api.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** {@code {"hasMore": …, "data": [...]}}: {@code hasMore} is true when matching events follow this page. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record HistoryPage(boolean hasMore, List<HistoryEntry> data) {

    public HistoryPage {
        data = List.copyOf(data);
    }
}
