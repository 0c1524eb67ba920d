package io.orchestr.node;

/**
 * Root of the unchecked exceptions the node library throws. Messages name the node and, where one is involved,
 * the job or the incarnation id.
 */
public class NodeException extends RuntimeException {
    public NodeException(String message) {
        super(message);
    }

    public NodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
