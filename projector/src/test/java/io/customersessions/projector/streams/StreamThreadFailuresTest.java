package io.customersessions.projector.streams;

import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class StreamThreadFailuresTest {

    @Test
    void an_exception_replaces_the_thread_an_error_shuts_the_client_down_and_every_failure_is_counted() {
        // given
        AtomicInteger failures = new AtomicInteger();
        StreamThreadFailures handler = new StreamThreadFailures(Duration.ZERO, failures::incrementAndGet);

        // when
        StreamThreadExceptionResponse exception = handler.handle(new StreamsException(new IllegalStateException()));
        StreamThreadExceptionResponse again = handler.handle(new StreamsException(new IllegalStateException()));
        StreamThreadExceptionResponse error = handler.handle(new StreamsException(new OutOfMemoryError()));

        // then
        assertThat(exception).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(again).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(error).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(failures).hasValue(3);
    }
}
