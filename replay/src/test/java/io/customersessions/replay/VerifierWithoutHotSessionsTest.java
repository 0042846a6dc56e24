package io.customersessions.replay;

/**
 * Every case of {@link VerifierTest} with no session kept as an object: each settled state is written in wire form
 * right after its event and read back before the session's next one.
 */
class VerifierWithoutHotSessionsTest extends VerifierTest {

    @Override
    int hotSessions() {
        return 0;
    }
}
