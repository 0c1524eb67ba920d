package io.orchestr.shared;

/**
 * The sizes that the API, the wire and the database agree on: one home, so that a node never sends what the
 * manager would cut, and the client never asks for what the API refuses.
 */
public final class Limits {
    /** A job's name, in characters; the database column holds as much. */
    public static final int JOB_NAME = 200;
    /** A node's name, in characters. */
    public static final int NODE_NAME = 100;
    /** A failure's text as a node reports it and the manager stores it, in characters; longer texts are cut. */
    public static final int ERROR_TEXT = 1_000;
    /** A job's {@code params}, serialized as UTF-8 JSON, in bytes; larger ones are refused, never cut. */
    public static final int PARAMS = 64 * 1024;
    /** A job's {@code result}, serialized as UTF-8 JSON, in bytes; a larger one fails the job, it is never cut. */
    public static final int RESULT = 64 * 1024;
    /**
     * A job's checkpoint ({@code JobContext.checkpoint}), serialized as UTF-8 JSON, in bytes; a larger one is
     * refused, never cut.
     */
    public static final int CHECKPOINT = 64 * 1024;
    /** A progress report's message, in characters; longer messages are cut. */
    public static final int PROGRESS_MESSAGE = 1_000;
    /** The most bytes of a run's output one {@code output} request gets from a node. */
    public static final int OUTPUT_CHUNK = 256 * 1024;
    /** How much of a run's output {@code GET /api/jobs/{id}/output} shows by default: its last 64 KiB. */
    public static final int OUTPUT_TAIL = 64 * 1024;
    /** The largest page of a listing. */
    public static final int PAGE_SIZE = 1_000;
    /**
     * The largest message a manager or node reads off the broker: four times what the largest job (an argument of
     * 1,000,000 characters, params of 64 KiB) takes. A larger one is dead-lettered unread, as an unreadable one is;
     * the client library's own limit (64 MiB), past which it would close the connection, is the broker's
     * {@code max_message_size} to keep (README, "Quotas and limits").
     */
    public static final int MESSAGE = 16 * 1024 * 1024;

    private Limits() {
    }

    /** {@code text} cut to {@code max} characters; null stays null. */
    public static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
