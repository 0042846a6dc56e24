package io.customersessions.projector.query;

/** The state store cannot answer right now (start-up, rebalance, restoration): a 503 with Retry-After. */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message) {
        super(message);
    }
}
