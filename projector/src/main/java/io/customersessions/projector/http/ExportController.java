package io.customersessions.projector.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.customersessions.api.SessionViews;
import io.customersessions.api.auth.Caller;
import io.customersessions.api.history.HistoryEntry;
import io.customersessions.api.history.HistoryViews;
import io.customersessions.api.model.ErrorResponse;
import io.customersessions.projector.query.Export;
import io.customersessions.projector.query.ExportRange;
import io.customersessions.projector.routing.JsonOrder;
import io.customersessions.projector.routing.QueryRouter;
import io.customersessions.projector.views.StoredEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * NDJSON exports for offline audit tools: an application's sessions ({@code CustomerSessionV2}, creation order) and
 * its events (the entries of {@code events/no_total}, time order) within {@code createdAfter} / {@code
 * createdBefore} ({@link ExportRange}). The body is produced while it is sent ({@link Export} describes the memory
 * bound). Needs a Management API key that may read the application. Errors found before the first byte are
 * Talon.One-shaped JSON (a store unavailable at the start is a 503); one that becomes unavailable mid-export can
 * only fail the transfer. The lines of every instance are merged in the export's order ({@link QueryRouter#lines}).
 */
@Controller("/v1/applications/{applicationId}/export")
public class ExportController {

    static final MediaType NDJSON = MediaType.of("application/x-ndjson");

    private final Export export;
    private final SessionViews sessionViews;
    private final HistoryViews historyViews;
    private final JsonMapper json;
    private final QueryRouter router;

    public ExportController(Export export, SessionViews sessionViews, HistoryViews historyViews, JsonMapper json,
                            QueryRouter router) {
        this.export = export;
        this.sessionViews = sessionViews;
        this.historyViews = historyViews;
        this.json = json;
        this.router = router;
    }

    @Get("/sessions")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> sessions(@PathVariable long applicationId,
                                    @Nullable @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                    HttpRequest<?> request) {
        return stream(applicationId, caller, request, JsonOrder.createdSessions(),
                range -> map(export.sessions(applicationId, range), session -> line(sessionViews.toV2(session))));
    }

    @Get("/events")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> events(@PathVariable long applicationId,
                                  @Nullable @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                  HttpRequest<?> request) {
        return stream(applicationId, caller, request, JsonOrder.events(false),
                range -> map(export.events(applicationId, range), stored -> line(entry(stored))));
    }

    private HttpResponse<?> stream(long applicationId, Caller caller, HttpRequest<?> request, Comparator<JsonNode> order,
                                   Function<ExportRange, Iterator<String>> lines) {
        Optional<HttpResponse<ErrorResponse>> denied = CallerAccess.denyManagementRead(caller, applicationId);
        if (denied.isPresent()) {
            return denied.get();
        }
        ExportRange.Parsed parsed = ExportRange.parse(name -> request.getParameters().getFirst(name));
        if (parsed.range().isEmpty()) {
            return ManagementSessionController.badQuery(parsed.violations());
        }
        Stream<String> merged = router.lines(request, order, () -> lines.apply(parsed.range().get()));
        return HttpResponse.ok(new StreamedFile(new NdjsonStream(merged), NDJSON)).contentType(NDJSON);
    }

    /** As in {@code events/no_total}: the entry with its session and the profile after the event. */
    private HistoryEntry entry(StoredEvent stored) {
        return HistoryController.entry(historyViews, stored)
                .withSession(stored.event().getIntegrationId(), stored.after().profileId());
    }

    private String line(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> Iterator<String> map(Iterator<T> items, Function<T, String> render) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return items.hasNext();
            }

            @Override
            public String next() {
                return render.apply(items.next());
            }
        };
    }
}
