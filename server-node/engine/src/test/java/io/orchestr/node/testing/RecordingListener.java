package io.orchestr.node.testing;

import io.orchestr.node.NodeListener;
import io.orchestr.shared.wire.ToManager.Outcome;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every node event, in order, for assertions. */
public final class RecordingListener implements NodeListener {
    public record Event(String kind, UUID id, String detail) {
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();

    public List<Event> events(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).toList();
    }

    public List<UUID> ids(String kind) {
        return events(kind).stream().map(Event::id).toList();
    }

    @Override
    public void connected(UUID nodeId) {
        events.add(new Event("connected", nodeId, ""));
    }

    @Override
    public void granted(UUID jobId, long epoch) {
        events.add(new Event("granted", jobId, String.valueOf(epoch)));
    }

    @Override
    public void dropped(UUID jobId, String reason) {
        events.add(new Event("dropped", jobId, reason));
    }

    @Override
    public void jobStarted(UUID jobId, String jobName, long epoch, int restarts) {
        events.add(new Event("jobStarted", jobId, epoch + "/" + restarts));
    }

    @Override
    public void jobEnded(UUID jobId, Outcome outcome, String error) {
        events.add(new Event("jobEnded", jobId, outcome + (error == null ? "" : ": " + error)));
    }

    @Override
    public void jobHandedBack(UUID jobId, String reason) {
        events.add(new Event("jobHandedBack", jobId, reason));
    }

    @Override
    public void fenced(UUID nodeId, Duration silence) {
        events.add(new Event("fenced", nodeId, silence.toString()));
    }

    @Override
    public void deliveriesLost(UUID nodeId, String cause, int jobs) {
        events.add(new Event("deliveriesLost", nodeId, jobs + " jobs: " + cause));
    }

    @Override
    public void malformedMessage(String queue, String error) {
        events.add(new Event("malformedMessage", null, queue + ": " + error));
    }
}
