package io.customersessions.service.http;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;

@Factory
class HttpBeans {

    /** Stamps command times; the decider never reads a clock itself. */
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
