package io.confluent.kafka.schemaregistry.client.rest.exceptions;

/**
 * A stand-in, under the same name and with the same constructor, for the exception Confluent's schema registry
 * client throws on an error answer: Confluent's artifacts are not on this project's class path, and
 * {@code RegisteredAvro} recognises the exception by its name.
 */
public class RestClientException extends Exception {

    private final int status;
    private final int errorCode;

    public RestClientException(String message, int status, int errorCode) {
        super(message + "; error code: " + errorCode);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int getStatus() {
        return status;
    }

    public int getErrorCode() {
        return errorCode;
    }
}
