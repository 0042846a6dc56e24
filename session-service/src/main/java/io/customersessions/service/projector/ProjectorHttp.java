package io.customersessions.service.projector;

import io.customersessions.eventlog.internal.RegisteredAvro;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.client.annotation.Client;

import java.util.concurrent.CompletableFuture;

/** The projector's HTTP API, as far as the session-service uses it; bodies stay bytes (they are relayed or Avro). */
@Client("${customer-sessions.projector.url}")
interface ProjectorHttp {

    @Post(uri = "/internal/v1/decide", produces = RegisteredAvro.COMMAND_TYPE, consumes = RegisteredAvro.OUTCOME_TYPE)
    CompletableFuture<HttpResponse<byte[]>> decide(@Body byte[] command,
                                                   @Header(HttpHeaders.AUTHORIZATION) String authorization);

    @Get(uri = "/v2/customer_sessions/{customerSessionId}{?asOf,asOfUpdateCount}", consumes = "application/json")
    CompletableFuture<HttpResponse<byte[]>> session(@PathVariable String customerSessionId,
                                                    @QueryValue @Nullable String asOf,
                                                    @QueryValue @Nullable String asOfUpdateCount,
                                                    @Header(HttpHeaders.AUTHORIZATION) String authorization);

    /** {@code include=former}: every session that holds the profile's data, not only those that have it now. */
    @Get(uri = "/internal/v1/profiles/{profileId}/sessions{?include}", consumes = "application/json")
    CompletableFuture<HttpResponse<byte[]>> profileSessions(@PathVariable String profileId,
                                                            @QueryValue String include,
                                                            @Header(HttpHeaders.AUTHORIZATION) String authorization);
}
