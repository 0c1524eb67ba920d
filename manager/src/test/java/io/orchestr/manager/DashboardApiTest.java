package io.orchestr.manager;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

/**
 * What the dashboard stands on: signing in trades a token for a cookie that then authenticates every call (the
 * event stream's too, as a browser's EventSource sends no header), the latest events of every job, and the live
 * stream of job events, the overview and watched jobs, with resume after an event id.
 */
@QuarkusTest
class DashboardApiTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URL root;

    /** Requests here carry exactly the token or cookie each test names, not the admin's token by default. */
    @BeforeEach
    void noDefaultToken() {
        RestAssured.replaceFiltersWith(List.of());
    }

    @Test
    void signingInSetsAnHttpOnlyStrictCookieThatAuthenticatesLikeItsTokenUntilSignedOut() {
        given().header("Authorization", "Bearer " + TestTokens.VIEWER).post("/api/session").then().statusCode(200)
                .body("role", equalTo("viewer")).body("roles", hasItems("viewer")).body("auth", equalTo(true))
                .header("Set-Cookie", allOf(containsString("orchestr_session=" + TestTokens.VIEWER),
                        containsString("HttpOnly"), containsString("SameSite=Strict"), containsString("Path=/")));

        given().cookie("orchestr_session", TestTokens.VIEWER).get("/api/session").then().statusCode(200)
                .body("role", equalTo("viewer"));
        given().cookie("orchestr_session", TestTokens.VIEWER).get("/api/jobs").then().statusCode(200);
        given().cookie("orchestr_session", TestTokens.VIEWER).contentType(ContentType.JSON)
                .body(Map.of("name", Api.uniqueName("viewer"))).post("/api/jobs").then().statusCode(403);
        given().cookie("orchestr_session", "not-a-token").get("/api/jobs").then().statusCode(401);

        given().delete("/api/session").then().statusCode(204)
                .header("Set-Cookie", allOf(containsString("orchestr_session=;"), containsString("Max-Age=0")));
    }

    @Test
    void signingInChecksTheHeadersTokenNotACookieLeftFromAnEarlierSignIn() {
        given().post("/api/session").then().statusCode(401).body("error", containsString("bearer token"));
        given().header("Authorization", "Bearer not-a-token").post("/api/session").then().statusCode(401);
        given().header("Authorization", "Bearer bad\"token").post("/api/session").then().statusCode(400)
                .body("field", equalTo("Authorization"));

        given().cookie("orchestr_session", TestTokens.VIEWER).header("Authorization", "Bearer " + TestTokens.ADMIN)
                .post("/api/session").then().statusCode(200).body("role", equalTo("admin"))
                .header("Set-Cookie", containsString("orchestr_session=" + TestTokens.ADMIN));
        given().cookie("orchestr_session", TestTokens.ADMIN).header("Authorization", "Bearer not-a-token")
                .post("/api/session").then().statusCode(401).header("Set-Cookie", not(containsString("orchestr")));
    }

    @Test
    void theLatestEventsOfEveryJobComeNewestFirstWithTheJobsName() {
        String name = Api.uniqueName("feed");
        UUID id = admin(() -> Api.createJob(name));

        List<Map<String, Object>> events = given().header("Authorization", "Bearer " + TestTokens.VIEWER)
                .get("/api/events?size=200").then().statusCode(200).extract().jsonPath().getList("$");

        assertThat(events).anySatisfy(event -> {
            assertThat(event.get("jobId")).isEqualTo(id.toString());
            assertThat(event.get("jobName")).isEqualTo(name);
            assertThat(event.get("event")).asString().contains("kind=created");
        });
        List<Long> ids = events.stream().map(event -> ((Number) event.get("id")).longValue()).toList();
        assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        admin(() -> Api.cancel(id));
    }

    @Test
    void theStreamSendsTheOverviewAWatchedJobAndEachNewEventAndResumesAfterAnEventId() throws Exception {
        long before = lastEventId();
        String name = Api.uniqueName("stream");
        UUID id = admin(() -> Api.createJob(name, "stream-" + UUID.randomUUID().toString().substring(0, 6)));

        List<String> stream = read("/api/events/stream?after=" + before + "&job=" + id, Map.of(),
                lines -> lines.contains("event:overview") && lines.stream().anyMatch(line -> line.startsWith("data:")
                        && line.contains("\"id\":\"" + id + "\"") && line.contains("\"status\":\"Queued\""))
                        && lines.stream().anyMatch(line -> line.contains("\"jobName\":\"" + name + "\"")));

        assertThat(stream).contains("event:job");
        long created = createdEventId(stream, name);
        assertThat(created).isGreaterThan(before);

        admin(() -> Api.cancel(id));
        List<String> resumed = read("/api/events/stream", Map.of("Last-Event-ID", Long.toString(created)),
                lines -> lines.stream().anyMatch(line -> line.contains("\"jobName\":\"" + name + "\"")
                        && line.contains("\"kind\":\"deleted\"")));
        assertThat(resumed).noneMatch(line -> line.equals("id:" + created));
    }

    @Test
    void aBadStreamRequestIs400NamingTheParameterAndNoCredentialIs401() {
        given().header("Authorization", "Bearer " + TestTokens.VIEWER).get("/api/events/stream?job=nope")
                .then().statusCode(400).body("field", equalTo("job"));
        given().header("Authorization", "Bearer " + TestTokens.VIEWER).get("/api/events/stream?after=-1")
                .then().statusCode(400).body("field", equalTo("after"));
        given().get("/api/events/stream").then().statusCode(401);
        given().get("/api/overview").then().statusCode(401);
    }

    private long lastEventId() {
        List<Number> ids = given().header("Authorization", "Bearer " + TestTokens.VIEWER).get("/api/events?size=1")
                .then().statusCode(200).extract().jsonPath().getList("id");
        return ids.isEmpty() ? 0 : ids.getFirst().longValue();
    }

    private static long createdEventId(List<String> lines, String name) {
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.contains("\"jobName\":\"" + name + "\"") && line.contains("\"kind\":\"created\"")) {
                for (int j = i - 1; j >= 0; j--) {
                    if (lines.get(j).startsWith("id:")) {
                        return Long.parseLong(lines.get(j).substring(3));
                    }
                }
            }
        }
        throw new AssertionError("no created event of " + name + " in " + lines);
    }

    /** Reads the stream's lines, signed in by the session cookie as a browser is, until {@code enough} holds. */
    private List<String> read(String path, Map<String, String> headers, Predicate<List<String>> enough)
            throws InterruptedException, ExecutionException, TimeoutException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root.toString()).resolve(path))
                .header("Cookie", "orchestr_session=" + TestTokens.VIEWER).header("Accept", "text/event-stream");
        headers.forEach(request::header);
        HttpResponse<InputStream> response;
        try (HttpClient client = HttpClient.newHttpClient()) {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            List<String> lines = new ArrayList<>();
            CompletableFuture<List<String>> seen = CompletableFuture.supplyAsync(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        synchronized (lines) {
                            lines.add(line);
                            if (enough.test(lines)) {
                                return List.copyOf(lines);
                            }
                        }
                    }
                    throw new AssertionError("the stream ended before it sent what was expected: " + lines);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try {
                return seen.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            } finally {
                seen.cancel(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T admin(Supplier<T> call) {
        RestAssured.replaceFiltersWith((request, response, context) -> {
            request.header("Authorization", "Bearer " + TestTokens.ADMIN);
            return context.next(request, response);
        });
        try {
            return call.get();
        } finally {
            RestAssured.replaceFiltersWith(List.of());
        }
    }

    private static void admin(Runnable call) {
        admin(() -> {
            call.run();
            return null;
        });
    }
}
