package io.customersessions.projector.query;

import org.apache.kafka.streams.errors.InvalidStateStoreException;

import java.util.function.Supplier;

/** The state store cannot answer right now (start-up, rebalance, restoration): a 503 with Retry-After. */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message) {
        super(message);
    }

    /**
     * Runs a read of one or more stores. A store can become unavailable between being found and being read (a
     * rebalance moves its partition away): the answer would be wrong or partial, so the read fails as a whole.
     */
    public static <T> T whileReading(Supplier<T> read) {
        try {
            return read.get();
        } catch (InvalidStateStoreException e) {
            throw new StoreUnavailableException("the state stores are rebalancing: " + e.getMessage());
        }
    }
}
