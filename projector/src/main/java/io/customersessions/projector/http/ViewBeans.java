package io.customersessions.projector.http;

import io.customersessions.api.SessionViews;
import io.micronaut.context.annotation.Factory;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

@Factory
class ViewBeans {

    @Singleton
    SessionViews sessionViews(JsonMapper jsonMapper) {
        return new SessionViews(jsonMapper);
    }
}
