package io.customersessions.service.http;

import io.micronaut.serde.annotation.Serdeable;

/** 202 body: the command is in the log and will be decided exactly once; its outcome was not seen in time. */
@Serdeable
public record CommandPending(String message, String commandId) {
}
