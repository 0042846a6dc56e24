package io.customersessions.eventlog.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A schema registry refused a request or could not be reached. {@link #status()} is the HTTP status (0 when no
 * answer came) and {@link #errorCode()} Confluent's {@code error_code} (e.g. 40401 subject not found, 40403 schema
 * not found, 409 incompatible schema, 42201 invalid schema; 0 when the answer had none).
 */
public class SchemaRegistryException extends SerializationException {

    /** Confluent's code for "subject not found". */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Confluent's code for "schema not found". */
    public static final int SCHEMA_NOT_FOUND = 40403;

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(int status, int errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.errorCode = 0;
    }

    public int status() {
        return status;
    }

    public int errorCode() {
        return errorCode;
    }
}
