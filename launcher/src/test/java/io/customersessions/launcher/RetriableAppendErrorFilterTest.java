package io.customersessions.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetriableAppendErrorFilterTest {

    private final RetriableAppendErrorFilter filter = new RetriableAppendErrorFilter();
    private final LoggerContext context = new LoggerContext();

    @Test
    void the_brokers_retriable_out_of_order_sequence_error_is_dropped() {
        // given
        LoggingEvent event = brokerError(new OutOfOrderSequenceException("Expected sequence 0"));

        // when / then
        assertThat(filter.decide(event)).isEqualTo(FilterReply.DENY);
    }

    @Test
    void every_other_broker_error_still_shows() {
        // given
        LoggingEvent corrupt = brokerError(new CorruptRecordException("bad batch"));
        LoggingEvent plain = brokerError(null);

        // when / then
        assertThat(filter.decide(corrupt)).isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(plain)).isEqualTo(FilterReply.NEUTRAL);
    }

    private LoggingEvent brokerError(Throwable error) {
        return new LoggingEvent("test", context.getLogger("kafka.server.ReplicaManager"), Level.ERROR,
                "Error processing append operation on partition", error, null);
    }
}
