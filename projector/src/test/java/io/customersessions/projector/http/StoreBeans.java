package io.customersessions.projector.http;

import io.customersessions.projector.query.InteractiveStateStores;
import io.customersessions.projector.query.StateStores;
import io.customersessions.projector.streams.TopologyFixture;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import jakarta.inject.Singleton;

/** The HTTP layer reads the stores of a real processor topology, driven by the test through the fixture. */
@Factory
class StoreBeans {

    @Singleton
    @Bean(preDestroy = "close")
    TopologyFixture topologyFixture() {
        return new TopologyFixture();
    }

    @Singleton
    @Replaces(InteractiveStateStores.class)
    StateStores driverStores(TopologyFixture fixture) {
        return fixture.stateStores();
    }
}
