package io.orchestr.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class TcpProxyTest {
    private static final int SILENCE_MILLIS = 300;
    private static final int SMALL_BUFFER = 4 * 1024;
    /** Far more than the kernel buffers on the way hold, when they are small. */
    private static final int MUCH = 64 * 1024 * 1024;

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
        proxy = new TcpProxy(echoAddress(), 4, SMALL_BUFFER);
    }

    private InetSocketAddress echoAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort());
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
        Socket socket = new Socket();
        socket.setSendBufferSize(SMALL_BUFFER);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()));
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

        assertNewConnectionsAreAcceptedButNeverReachTheTarget();
    }

    private void assertNewConnectionsAreAcceptedButNeverReachTheTarget() throws IOException {
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
    void onceStalledNothingIsReadSoTheClientsWritesBlockAndNothingIsClosed() throws Exception {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "before")).isEqualTo("before");

            proxy.stall();
            AtomicLong written = new AtomicLong();
            AtomicBoolean failed = new AtomicBoolean();
            Thread writer = Thread.ofVirtual().start(() -> writeMuch(client, written, failed));

            AtomicLong seen = new AtomicLong(-1);
            await("the writes block").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .during(Duration.ofMillis(500)).until(() -> seen.getAndSet(written.get()) == written.get());
            assertThat(written.get()).as("written before the buffers were full").isLessThan(MUCH);
            assertThat(writer.isAlive()).as("blocked in a write").isTrue();
            assertThat(failed).as("no write failed").isFalse();
            assertThatThrownBy(client.getInputStream()::read).as("nothing comes back, and no end of stream")
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(client.isClosed()).isFalse();
        }
    }

    private static void writeMuch(Socket socket, AtomicLong written, AtomicBoolean failed) {
        byte[] chunk = new byte[SMALL_BUFFER];
        try {
            OutputStream out = socket.getOutputStream();
            while (written.get() < MUCH) {
                out.write(chunk);
                written.addAndGet(chunk.length);
            }
        } catch (IOException e) {
            failed.set(!socket.isClosed()); // the test closing the socket ends the write, as it should
        }
    }

    @Test
    void onceStalledNewConnectionsAreAcceptedButNeverReachTheTarget() throws IOException {
        proxy.stall();

        assertNewConnectionsAreAcceptedButNeverReachTheTarget();
    }

    @Test
    void closingTheProxyEndsStalledConnections() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "before")).isEqualTo("before");
            proxy.stall();

            proxy.close();

            client.setSoTimeout(5000);
            assertThat(client.getInputStream().read()).as("end of stream").isEqualTo(-1);
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
