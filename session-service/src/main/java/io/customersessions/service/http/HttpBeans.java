package io.customersessions.service.http;

import io.customersessions.api.SessionViews;
import io.micronaut.context.annotation.Factory;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.time.Clock;

@Factory
class HttpBeans {

    @Singleton
    SessionViews sessionViews(JsonMapper jsonMapper) {
        return new SessionViews(jsonMapper);
    }

    /** Stamps command times; the decider never reads a clock itself. */
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
