package io.orchestr.manager.job;

import io.orchestr.manager.LocalServices;
import io.orchestr.manager.store.JobEntity;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admissions of one key that run at once, as in several managers (and this manager's own republisher sweep), fill
 * its free places and no more: the key's row lock makes them take turns.
 */
@QuarkusTest
@WithTestResource(value = LocalServices.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ConcurrentAdmissionTest {
    private static final int THREADS = 8;
    private static final int LIMIT = 3;
    private static final int ROUNDS = 15;

    @Inject
    ConcurrencyKeys keys;
    @Inject
    DataSource dataSource;

    @Test
    void admissionsThatRunAtOnceAdmitExactlyTheFreePlacesRoundAfterRound() throws Exception {
        String key = "race-" + UUID.randomUUID();
        String pool = "race-" + UUID.randomUUID().toString().substring(0, 8);
        List<Map<String, Object>> body = IntStream.range(0, LIMIT * (ROUNDS + 1)).<Map<String, Object>>mapToObj(i ->
                Map.of("name", key + "-" + i, "pool", pool, "concurrencyKey", key, "concurrencyLimit", LIMIT)).toList();
        List<String> ids = given().contentType(ContentType.JSON).body(body).post("/api/jobs/batch").then()
                .statusCode(201).extract().path("id");
        assertThat(admittedIds(key)).containsExactlyInAnyOrderElementsOf(ids.subList(0, LIMIT));

        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                // the holders end behind the managers' back: nobody has admitted the next ones yet
                execute("UPDATE job SET status = 'Completed' WHERE concurrency_key = ? AND concurrency_admitted"
                        + " AND status = 'Queued'", key);
                admitAtOnce(threads, key);
                assertThat(admittedIds(key)).as("jobs of the key that hold a place after round %d", round)
                        .containsExactlyInAnyOrderElementsOf(ids.subList(LIMIT * round, LIMIT * (round + 1)));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** Runs {@link #THREADS} admissions of the key, let go together, and waits for them all. */
    private void admitAtOnce(ExecutorService threads, String key) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<JobEntity>>> admissions = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            admissions.add(threads.submit(() -> {
                start.await();
                return keys.admit(key);
            }));
        }
        start.countDown();
        for (Future<List<JobEntity>> admission : admissions) {
            admission.get();
        }
    }

    /** The jobs of the key that hold a place: admitted and active. */
    private List<String> admittedIds(String key) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT id FROM job WHERE concurrency_key = ?"
                     + " AND concurrency_admitted AND status IN ('Queued', 'Processing', 'Pausing', 'Deleting')")) {
            statement.setString(1, key);
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        }
    }

    private void execute(String sql, String... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }
}
