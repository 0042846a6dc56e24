package io.customersessions.service.projector;

import io.micronaut.core.annotation.Nullable;

/** A projector answer passed on unchanged: status, body and the headers a client acts on. */
public record RelayedResponse(int status, @Nullable String contentType, byte[] body, @Nullable String retryAfter) {
}
