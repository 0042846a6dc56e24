package io.customersessions.service.commands;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.eventlog.codec.AvroCodec;

/** The processor's {@link CommandOutcome}, from the outcome topic or a dry run, as the caller sees it. */
public final class Outcomes {

    private Outcomes() {
    }

    public static CommandResult toResult(CommandOutcome outcome) {
        if (outcome.getAccepted()) {
            return new CommandResult.Accepted(AvroCodec.fromAvro(outcome.getSession()), outcome.getEventTypes());
        }
        return new CommandResult.Rejected(AvroCodec.fromAvro(outcome.getRejection()));
    }
}
