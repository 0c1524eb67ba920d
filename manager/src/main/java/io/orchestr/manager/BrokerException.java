package io.orchestr.manager;


/** The broker could not be reached, refused an operation, or did not confirm a message in time. */
public class BrokerException extends ManagerException {
    public BrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
