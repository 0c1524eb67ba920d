package io.orchestr.manager.broker;

import com.rabbitmq.client.AMQP;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts, per message, the handlings that failed for a reason other than an outage, so that a message that can
 * never be handled (a bug, a row the code cannot map) is dead-lettered after a few attempts instead of keeping a
 * lane busy for ever. One instance serves all lanes of a manager, since a requeued message may come back on any
 * of them; each manager counts its own attempts.
 *
 * <p>A message is known by its message id when it has one, else by a digest of its body: identical bodies (a
 * node's repeated claim) fail for the same reason, so they share one count.
 */
final class FailedAttempts {
    /** How many failing messages to remember; more than that at once means something else is badly wrong. */
    private static final int REMEMBERED = 10_000;

    private final int limit;
    private final Map<String, Integer> counts = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > REMEMBERED;
        }
    });

    /** @param limit after how many failed attempts a message is given up */
    FailedAttempts(int limit) {
        this.limit = limit;
    }

    /**
     * Counts one more failed attempt at the message.
     *
     * @return true when this was the last attempt allowed: the message is forgotten, and should be given up
     */
    boolean failedForGood(AMQP.BasicProperties properties, byte[] body) {
        String key = key(properties, body);
        if (counts.merge(key, 1, Integer::sum) < limit) {
            return false;
        }
        counts.remove(key);
        return true;
    }

    /** Forgets the failures of a message that was handled after all. */
    void handled(AMQP.BasicProperties properties, byte[] body) {
        if (!counts.isEmpty()) {
            counts.remove(key(properties, body));
        }
    }

    /** How many attempts a message gets. */
    int limit() {
        return limit;
    }

    private static String key(AMQP.BasicProperties properties, byte[] body) {
        if (properties.getMessageId() != null) {
            return "id:" + properties.getMessageId();
        }
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
