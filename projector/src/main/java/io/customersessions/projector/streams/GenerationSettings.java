package io.customersessions.projector.streams;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * {@code customer-sessions.projector.*}: the role this projector runs in ({@code processor}, the default, or
 * {@code views}) and the Kafka Streams application id of a views generation. A new generation needs a new id: the id
 * names its consumer group, committed offsets and changelog topics, so a fresh id is what makes it start from the
 * beginning of the event log.
 */
@ConfigurationProperties("customer-sessions.projector")
public class GenerationSettings {

    private String role = "processor";
    private String viewsApplicationId = "customer-sessions-views-1";

    public String getRole() {
        return role;
    }

    public void setRole(String role) {
        this.role = role;
    }

    public String getViewsApplicationId() {
        return viewsApplicationId;
    }

    public void setViewsApplicationId(String viewsApplicationId) {
        this.viewsApplicationId = viewsApplicationId;
    }
}
