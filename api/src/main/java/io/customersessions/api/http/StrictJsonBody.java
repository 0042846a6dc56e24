package io.customersessions.api.http;

/**
 * A request body read by {@link StrictJsonBodyReader}: one JSON value and nothing after it, numbers only where
 * numbers belong.
 */
public interface StrictJsonBody {
}
