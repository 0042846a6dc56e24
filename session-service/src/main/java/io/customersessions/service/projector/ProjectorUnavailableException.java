package io.customersessions.service.projector;

/** The projector could not be reached or answered outside its contract; a retry may succeed (503). */
public class ProjectorUnavailableException extends RuntimeException {
    public ProjectorUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
