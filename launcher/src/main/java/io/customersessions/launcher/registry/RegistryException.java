package io.customersessions.launcher.registry;

/** A request the registry refuses, with Confluent's HTTP status and {@code error_code}. */
public final class RegistryException extends RuntimeException {

    private final int httpStatus;
    private final int errorCode;

    private RegistryException(int httpStatus, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    static RegistryException subjectNotFound(String subject) {
        return new RegistryException(404, 40401, "Subject '" + subject + "' not found.", null);
    }

    static RegistryException versionNotFound(String subject, String version) {
        return new RegistryException(404, 40402, "Version " + version + " not found for subject '" + subject
                + "'.", null);
    }

    static RegistryException schemaNotFound(String detail) {
        return new RegistryException(404, 40403, detail, null);
    }

    static RegistryException invalidSchema(String detail, Throwable cause) {
        return new RegistryException(422, 42201, "Invalid schema: " + detail, cause);
    }

    static RegistryException invalidVersion(String version) {
        return new RegistryException(422, 42202, "The specified version '" + version + "' is not a valid version "
                + "id. Allowed values are between [1, 2^31-1] and the string \"latest\"", null);
    }

    static RegistryException incompatible(String subject, String detail) {
        return new RegistryException(409, 409, "Schema being registered is incompatible with an earlier schema "
                + "for subject \"" + subject + "\" (compatibility BACKWARD): " + detail, null);
    }

    /** A malformed request (the HTTP status doubles as the error code, as in Confluent's registry). */
    static RegistryException request(int httpStatus, String message) {
        return new RegistryException(httpStatus, httpStatus, message, null);
    }

    static RegistryException backend(String detail, Throwable cause) {
        return new RegistryException(500, 50001, "Error in the backend data store: " + detail, cause);
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }
}
