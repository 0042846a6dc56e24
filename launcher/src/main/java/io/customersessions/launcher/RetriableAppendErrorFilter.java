package io.customersessions.launcher;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops the embedded broker's ERROR lines for {@code OutOfOrderSequenceException}. Under transactions v2 the broker
 * answers the first writes of a transaction to a partition it has no producer state for with this retriable error
 * (KAFKA-18202) and the producer retries them: routine for an exactly-once processor, yet logged as an ERROR with a
 * stack trace for every partition. Any other error of the broker still shows.
 */
public final class RetriableAppendErrorFilter extends Filter<ILoggingEvent> {

    private static final String EXCEPTION = "org.apache.kafka.common.errors.OutOfOrderSequenceException";

    @Override
    public FilterReply decide(ILoggingEvent event) {
        for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
            if (EXCEPTION.equals(cause.getClassName())) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }
}
