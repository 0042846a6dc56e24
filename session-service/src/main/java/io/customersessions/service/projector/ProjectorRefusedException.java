package io.customersessions.service.projector;

/**
 * The projector answered a dry run with an error of its own (e.g. 401 for a key it does not know); the answer is
 * passed on to the client as it is.
 */
public class ProjectorRefusedException extends RuntimeException {

    private final transient RelayedResponse answer;

    public ProjectorRefusedException(RelayedResponse answer) {
        super("the projector refused the dry run with status " + answer.status());
        this.answer = answer;
    }

    public RelayedResponse answer() {
        return answer;
    }
}
