package io.customersessions.api.http;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.server.exceptions.ConversionErrorHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.JsonExceptionHandler;
import io.micronaut.http.server.exceptions.UnsatisfiedRouteHandler;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a service gets just by having this module on its classpath. */
@MicronautTest(startApplication = false)
class ApiBeansTest {

    @Inject
    ApplicationContext context;

    @Test
    void our_handlers_replace_micronauts_default_error_bodies() {
        assertThat(context.getBeansOfType(ExceptionHandler.class))
                .extracting(handler -> (Object) handler.getClass())
                .contains(BodyConversionErrorHandler.class, JsonSyntaxErrorHandler.class,
                        UnsatisfiedRouteErrorHandler.class)
                .doesNotContain(ConversionErrorHandler.class, JsonExceptionHandler.class,
                        UnsatisfiedRouteHandler.class);
    }
}
