package io.orchestr.manager;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;

/**
 * The tests' bearer tokens, one per role, whose hashes {@code src/test/resources/api-tokens} lists (the test
 * profile's tokens file). Registered for every {@code @QuarkusTest} ({@code META-INF/services}), it makes RestAssured
 * send the admin token with every request that names no {@code Authorization} of its own, before each test; a test
 * that sends none at all clears RestAssured's filters in its own {@code @BeforeEach}, which runs after this. The Java
 * client sends the admin token through {@code ORCHESTR_TOKEN}, which the build sets for the tests (pom.xml).
 */
public final class TestTokens implements QuarkusTestBeforeEachCallback {
    public static final String VIEWER = "test-viewer-token";
    public static final String OPERATOR = "test-operator-token";
    public static final String EXEC = "test-exec-token";
    public static final String ADMIN = "test-admin-token";

    private static final Filter ADMIN_UNLESS_TOLD = (request, response, context) -> {
        if (!request.getHeaders().hasHeaderWithName("Authorization")) {
            request.header("Authorization", "Bearer " + ADMIN);
        }
        return context.next(request, response);
    };

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        RestAssured.replaceFiltersWith(ADMIN_UNLESS_TOLD);
    }
}
