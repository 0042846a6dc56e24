package io.customersessions.replay;

import io.customersessions.avro.CustomerSessionState;

/**
 * How the {@link Verifier} reads the live projection's records and writes rebuilt states in the same form. Live
 * states stay in their wire form until compared: a rebuilt state written exactly as the projector wrote the live one
 * (same schema id, same binary) is equal to it, and most sessions are settled by that one array comparison,
 * without decoding the live state at all.
 */
public interface StateCodec {

    /** A live state record's value. */
    CustomerSessionState decode(byte[] wire);

    /**
     * {@code state} in the wire form a projector of this version writes, or null when that form cannot be known (for
     * instance when the registry does not know this version's schema): every session is then compared field by field.
     */
    byte[] encode(CustomerSessionState state);
}
