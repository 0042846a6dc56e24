package io.customersessions.service.commands;

import io.customersessions.domain.SessionCommand;

import java.util.concurrent.CompletableFuture;

/** Appends a validated command to the log and completes with its outcome (read your write). */
public interface CommandGateway {

    CompletableFuture<CommandResult> submit(SessionCommand command);
}
