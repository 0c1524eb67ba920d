package io.orchestr.e2e;

import io.orchestr.testing.TestServices;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Until the API has access control, a manager serves the loopback interface only unless {@code ORCHESTR_HTTP_HOST}
 * says otherwise: from another address of this machine it is not there at all.
 */
class ManagerHttpHostTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aManagerServesOnlyTheLoopbackByDefaultAndEveryInterfaceWhenToldSo() throws Exception {
        InetAddress outside = Addresses.nonLoopback()
                .orElseThrow(() -> new AssertionError("this machine has no non-loopback address to call from"));

        try (Cluster loopback = Cluster.withManager("http-host-default")) {
            int port = loopback.manager().httpPort();
            assertThat(ready("127.0.0.1", port)).isEqualTo(200);
            assertThatThrownBy(() -> ready(outside.getHostAddress(), port)).isInstanceOf(ConnectException.class);
        }
        try (Cluster everywhere = Cluster.withManager("http-host-any",
                TestServices.get().newDatabase("http-host-any"), TestServices.get().broker(),
                Map.of("ORCHESTR_HTTP_HOST", "0.0.0.0"))) {
            assertThat(ready(outside.getHostAddress(), everywhere.manager().httpPort())).isEqualTo(200);
        }
    }

    private static int ready(String host, int port) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
