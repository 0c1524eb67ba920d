package io.orchestr.e2e;

import io.orchestr.e2e.harness.TcpProxy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class TcpProxyTest {
    private static final int SILENCE_MILLIS = 300;

    private ServerSocket echo;
    private final AtomicInteger echoConnections = new AtomicInteger();
    private TcpProxy proxy;

    @BeforeEach
    void startEchoServerAndProxy() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket socket = echo.accept();
                    echoConnections.incrementAndGet();
                    Thread.ofVirtual().start(() -> echoBack(socket));
                } catch (IOException e) {
                    return;
                }
            }
        });
        proxy = new TcpProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()), 4);
    }

    private static void echoBack(Socket socket) {
        try (socket) {
            socket.getInputStream().transferTo(socket.getOutputStream());
        } catch (IOException e) {
            // the test closed it
        }
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout(SILENCE_MILLIS);
        return socket;
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        byte[] answer = socket.getInputStream().readNBytes(text.length());
        return new String(answer, StandardCharsets.UTF_8);
    }

    @Test
    void forwardsBytesBothWaysUntilCut() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "hello")).isEqualTo("hello");
            assertThat(roundTrip(client, "again")).isEqualTo("again");
        }
    }

    @Test
    void onceCutNothingGetsThroughAndNothingIsClosed() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "before")).isEqualTo("before");

            proxy.cut();
            client.getOutputStream().write("after".getBytes(StandardCharsets.UTF_8));

            InputStream in = client.getInputStream();
            assertThatThrownBy(in::read).as("no bytes and no end of stream: the read times out")
                    .isInstanceOf(SocketTimeoutException.class);
            client.getOutputStream().write("still writable".getBytes(StandardCharsets.UTF_8));
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    void onceCutNewConnectionsAreAcceptedButNeverReachTheTarget() throws IOException {
        proxy.cut();

        try (Socket client = connect()) {
            client.getOutputStream().write("anyone?".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(client.getInputStream()::read).isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(echoConnections).hasValue(0);
    }

    @Test
    void afterARestoreNewConnectionsGetThroughWhileThoseSeveredByTheCutStaySilent() throws IOException {
        try (Socket severed = connect()) {
            assertThat(roundTrip(severed, "before")).isEqualTo("before");
            proxy.cut();

            proxy.restore();

            try (Socket fresh = connect()) {
                assertThat(roundTrip(fresh, "healed")).isEqualTo("healed");
            }
            severed.getOutputStream().write("lost".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(severed.getInputStream()::read).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void aClientClosingBeforeTheCutClosesTheTargetSideToo() throws Exception {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "x")).isEqualTo("x");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.connections() == 0);
    }

    @Test
    void connectionsPastTheBoundAreClosedAtOnce() throws IOException {
        Socket[] open = new Socket[4];
        try {
            for (int i = 0; i < open.length; i++) {
                open[i] = connect();
                assertThat(roundTrip(open[i], "ok")).isEqualTo("ok");
            }
            try (Socket extra = connect()) {
                assertThat(extra.getInputStream().read()).as("end of stream").isEqualTo(-1);
            }
        } finally {
            for (Socket socket : open) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }
}
