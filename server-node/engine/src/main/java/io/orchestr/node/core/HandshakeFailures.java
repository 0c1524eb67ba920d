package io.orchestr.node.core;

import com.rabbitmq.client.MalformedFrameException;
import io.orchestr.node.RabbitMqOptions;
import io.orchestr.shared.Causes;

import javax.net.ssl.SSLException;
import java.io.IOException;

/**
 * Says in words why a connection to the broker failed when TLS is the likely reason: a node without TLS on a TLS
 * listener reads the broker's TLS alert as a malformed AMQP frame ("Frame size is invalid"), and a failed TLS
 * handshake names a certificate path, not the node's trust store.
 */
final class HandshakeFailures {
    private HandshakeFailures() {
    }

    /**
     * {@code failure} itself, or an {@link IOException} that explains it (and has it as suppressed, not as cause,
     * so that logs, which show a failure's innermost cause, show the explanation).
     */
    static IOException explain(IOException failure, RabbitMqOptions options) {
        String explanation = null;
        if (options.tls().isEmpty() && has(failure, MalformedFrameException.class)) {
            explanation = "the port did not answer in AMQP (" + Causes.describe(failure) + "): if it is the broker's"
                    + " TLS listener, connect with TLS (ORCHESTR_RABBITMQ_TLS=true)";
        } else if (options.tls().isPresent() && has(failure, SSLException.class)) {
            explanation = "the TLS handshake failed (" + Causes.describe(failure) + "); this node uses "
                    + options.tls().get() + ": the trust store must hold the authority that signed the broker's"
                    + " certificate, which must name the host";
        }
        if (explanation == null) {
            return failure;
        }
        IOException explained = new IOException(explanation);
        explained.addSuppressed(failure);
        return explained;
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
