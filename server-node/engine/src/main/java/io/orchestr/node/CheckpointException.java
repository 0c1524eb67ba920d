package io.orchestr.node;

/**
 * A checkpoint was not stored ({@link JobContext#checkpoint}): the managers refused it because the run is stale
 * (its job was granted elsewhere, under a newer epoch, or it ended), the node is fenced, or no answer came within
 * the checkpoint timeout. After a timeout the checkpoint may still be stored; after a refusal it is not. Either way
 * the run should stop, or carry on knowing that a later run may resume from an older checkpoint.
 */
public class CheckpointException extends NodeException {
    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
