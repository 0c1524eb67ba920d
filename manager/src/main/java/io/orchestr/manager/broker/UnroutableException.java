package io.orchestr.manager.broker;

import io.orchestr.manager.BrokerException;

/** The broker confirmed a mandatory message but could not route it: the queue it was sent to does not exist. */
public class UnroutableException extends BrokerException {
    UnroutableException(String what, String queue) {
        super("cannot publish " + what + ": queue " + queue + " does not exist", null);
    }
}
