package io.customersessions.service.kafka;

/** The log did not acknowledge the command: it was not appended, the client may retry (503). */
public class CommandNotAppendedException extends RuntimeException {
    public CommandNotAppendedException(Throwable cause) {
        super("the command could not be appended to the log: " + cause.getMessage(), cause);
    }
}
