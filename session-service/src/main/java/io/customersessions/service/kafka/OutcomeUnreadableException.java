package io.customersessions.service.kafka;

/**
 * The processor answered the command, but its outcome could not be decoded (or named another command): the command
 * was appended and decided, its result is not known here (202, as when the outcome is late).
 */
public class OutcomeUnreadableException extends RuntimeException {
    public OutcomeUnreadableException(String commandId, String reason) {
        super("the outcome of command " + commandId + " cannot be read: " + reason);
    }
}
