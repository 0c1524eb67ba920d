package io.orchestr.manager.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orchestr.manager.UnknownIdException;
import io.orchestr.manager.history.JobHistory;
import io.orchestr.manager.job.JobQueries;
import io.orchestr.shared.api.FeedEvent;
import io.orchestr.shared.api.JobView;
import io.orchestr.shared.api.Overview;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The live feed behind {@code GET /api/events/stream}: each tick ({@code orchestr.feed.interval}) reads, once for
 * every open stream together, the job events recorded since the last tick, the overview, and the views of the jobs
 * the streams watch, and sends each stream what changed. Its SSE events:
 * <ul>
 *   <li>{@code job-event}: a {@link FeedEvent}, its SSE id the event's id, so that a browser that reconnects
 *       ({@code Last-Event-ID}) or a client that starts from {@code ?after=} gets what it missed first (at most
 *       {@link #MAX_RESUME}; past that a {@code reset}, and it reloads);</li>
 *   <li>{@code overview}: the {@link Overview}, on connect and whenever it changed;</li>
 *   <li>{@code job}: the {@link JobView} of a watched job ({@code ?job=}), on connect and whenever it changed
 *       (progress and heartbeats included, which record no event);</li>
 *   <li>a comment every {@link #KEEP_ALIVE}, so proxies keep the connection and a gone browser is noticed.</li>
 * </ul>
 * Several managers each run their own feed over the shared database, so a stream shows every manager's events.
 */
@ApplicationScoped
public class EventFeed {
    /** The most events a stream is sent at once when it resumes. */
    static final int MAX_RESUME = 1000;
    /** The most events read per tick; a busier fleet's events come over the next ticks. */
    static final int MAX_PER_TICK = 1000;
    /** The most jobs all streams together may watch; further ones are watched by none. */
    static final int MAX_WATCHED = 500;
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final Logger LOG = Logger.getLogger(EventFeed.class);

    private final JobHistory history;
    private final JobQueries jobs;
    private final OverviewReader overviews;
    private final ObjectMapper json;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final List<Subscriber> joined = new CopyOnWriteArrayList<>();

    private FeedCursor cursor;
    private Overview overview;
    private Map<UUID, JobView> views = Map.of();
    private Instant lastSent = Instant.EPOCH;
    private Sse sse;

    EventFeed(JobHistory history, JobQueries jobs, OverviewReader overviews, ObjectMapper json) {
        this.history = history;
        this.jobs = jobs;
        this.overviews = overviews;
        this.json = json;
    }

    /**
     * Opens a stream on {@code sink}: it gets the overview and its watched jobs' views at the next tick, then what
     * changes; first, with {@code resumeAfter}, the events recorded after that id.
     */
    public void subscribe(SseEventSink sink, Sse sse, Set<UUID> watched, Long resumeAfter) {
        this.sse = sse;
        joined.add(new Subscriber(sink, watched, resumeAfter));
    }

    /** How many streams are open. */
    public int streams() {
        return subscribers.size() + joined.size();
    }

    @Scheduled(every = "${orchestr.feed.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        subscribers.removeIf(subscriber -> !subscriber.open());
        if (subscribers.isEmpty() && joined.isEmpty()) {
            cursor = null; // when one opens again, it starts from what is recorded then
            return;
        }
        try {
            send(Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf("The live feed could not read what changed (%s); it tries again at the next tick", e.toString());
        }
    }

    private void send(Instant now) {
        if (cursor == null) {
            cursor = new FeedCursor(history.lastId());
        }
        long before = cursor.head();
        List<FeedEvent> events = history.feed(before, cursor.missing(), MAX_PER_TICK);
        cursor.advance(events.stream().map(FeedEvent::id).toList(), now);
        Overview latest = overviews.read();
        boolean overviewChanged = !latest.equals(overview);
        overview = latest;
        List<Subscriber> newcomers = List.copyOf(joined);
        joined.removeAll(newcomers);
        subscribers.addAll(newcomers);
        Map<UUID, JobView> latestViews = watchedViews();
        for (Subscriber subscriber : subscribers) {
            boolean isNew = newcomers.contains(subscriber);
            Long resumeAfter = subscriber.takeResumeAfter();
            if (resumeAfter != null && resumeAfter < before) {
                resume(subscriber, resumeAfter, before);
            }
            events.forEach(event -> subscriber.send(jobEvent(event)));
            if (overviewChanged || isNew) {
                subscriber.send(named("overview", overview));
            }
            for (UUID id : subscriber.watched()) {
                JobView view = latestViews.get(id);
                if (view != null && (isNew || !view.equals(views.get(id)))) {
                    subscriber.send(named("job", view));
                }
            }
        }
        views = latestViews;
        if (Duration.between(lastSent, now).compareTo(KEEP_ALIVE) >= 0) {
            lastSent = now;
            OutboundSseEvent ping = sse.newEventBuilder().comment("keep-alive").build();
            subscribers.forEach(subscriber -> subscriber.send(ping));
        }
    }

    /** Sends {@code subscriber} the events after {@code after} up to {@code head}, or a reset when they are many. */
    private void resume(Subscriber subscriber, long after, long head) {
        List<FeedEvent> missed = history.feed(after, Set.of(), MAX_RESUME + 1).stream()
                .filter(event -> event.id() <= head).toList();
        if (missed.size() > MAX_RESUME) {
            subscriber.send(sse.newEventBuilder().name("reset").data("too many events missed: reload").build());
            return;
        }
        missed.forEach(event -> subscriber.send(jobEvent(event)));
    }

    private Map<UUID, JobView> watchedViews() {
        Set<UUID> watched = new HashSet<>();
        for (Subscriber subscriber : subscribers) {
            for (UUID id : subscriber.watched()) {
                if (watched.size() < MAX_WATCHED) {
                    watched.add(id);
                }
            }
        }
        Map<UUID, JobView> latest = new HashMap<>();
        for (UUID id : watched) {
            try {
                latest.put(id, jobs.job(id));
            } catch (UnknownIdException gone) {
                // purged or never there: nothing to show
            }
        }
        return latest;
    }

    private OutboundSseEvent jobEvent(FeedEvent event) {
        return sse.newEventBuilder().name("job-event").id(Long.toString(event.id())).data(String.class, text(event))
                .build();
    }

    private OutboundSseEvent named(String name, Object body) {
        return sse.newEventBuilder().name(name).data(String.class, text(body)).build();
    }

    private String text(Object body) {
        try {
            return json.writeValueAsString(Objects.requireNonNull(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a feed event that Jackson cannot write: " + body.getClass(), e);
        }
    }
}
