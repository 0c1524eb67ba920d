package io.orchestr.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * A TCP proxy on the loopback interface that a test or benchmark can break, to play a network partition between
 * one node and the broker. Until then it forwards bytes both ways. It plays two kinds of partition, and in both
 * it closes nothing: closes are not passed on, and new connections are accepted and left silent. Each end can
 * only find out through its own timeouts (heartbeats, the node's fence), as across a real partition.
 * <ul>
 *     <li>{@link #cut()}: bytes are read and dropped, so neither end's writes ever block or fail.</li>
 *     <li>{@link #stall()}: nothing is read any more, in either direction. The kernel buffers fill, and then
 *     every write of either end blocks, as when the peer's host is gone and no longer acknowledges. Small
 *     receive buffers (see {@link #TcpProxy(InetSocketAddress, int, int)}) make that happen after little
 *     data.</li>
 * </ul>
 * {@link #restore()} ends the partition for new connections; the ones it broke stay silent, as connections broken
 * by a real partition do.
 *
 * <p>Bounded: at most {@code maxConnections} connections at once, each with two threads and a fixed
 * buffer per direction; connections past the bound are closed at once.
 */
public final class TcpProxy implements AutoCloseable {
    private static final int BUFFER = 16 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 2000;
    /**
     * Platform threads: the proxy must keep forwarding while the test's own virtual threads (thousands of job
     * handlers) keep the virtual-thread scheduler busy.
     */
    private static final Thread.Builder PUMPS = Thread.ofPlatform().daemon();

    private enum Partition { NONE, CUT, STALL }

    private final InetSocketAddress target;
    private final int maxConnections;
    private final OptionalInt receiveBuffer;
    private final ServerSocket listener;
    private volatile Partition partition = Partition.NONE;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    /** Sockets open while the proxy was partitioned, with the partition that broke them: they never forward again. */
    private final Map<Socket, Partition> broken = new ConcurrentHashMap<>();

    /** Listens on an ephemeral loopback port (see {@link #port()}) and forwards to {@code target}. */
    public TcpProxy(InetSocketAddress target, int maxConnections) throws IOException {
        this(target, maxConnections, OptionalInt.empty(), 0);
    }

    /**
     * Listens on loopback port {@code port} and forwards to {@code target}: a service that starts answering on a
     * port where a process was told to find it (a broker or database that comes up after the process).
     */
    public static TcpProxy onPort(int port, InetSocketAddress target, int maxConnections) throws IOException {
        return new TcpProxy(target, maxConnections, OptionalInt.empty(), port);
    }

    /**
     * Like {@link #TcpProxy(InetSocketAddress, int)}, with a receive buffer of {@code receiveBufferBytes} on both
     * sockets of every connection. It is set before the connection is made, so that the TCP window stays that
     * small from the start (Linux doubles the value and never autotunes a buffer that was set).
     */
    public TcpProxy(InetSocketAddress target, int maxConnections, int receiveBufferBytes) throws IOException {
        this(target, maxConnections, OptionalInt.of(receiveBufferBytes), 0);
    }

    private TcpProxy(InetSocketAddress target, int maxConnections, OptionalInt receiveBuffer, int port)
            throws IOException {
        this.target = target;
        this.maxConnections = maxConnections;
        this.receiveBuffer = receiveBuffer;
        this.listener = new ServerSocket();
        // accepted sockets inherit the listener's receive buffer
        if (receiveBuffer.isPresent()) {
            listener.setReceiveBufferSize(receiveBuffer.getAsInt());
        }
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        PUMPS.name("tcp-proxy-accept-" + port()).start(this::acceptLoop);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Stops forwarding anything, at once, without closing any connection: what arrives is read and dropped. */
    public void cut() {
        breakOpenConnections(Partition.CUT);
    }

    /** Stops reading anything, at once, without closing any connection: the senders' writes block once full. */
    public void stall() {
        breakOpenConnections(Partition.STALL);
    }

    private void breakOpenConnections(Partition kind) {
        partition = kind;
        sockets.forEach(socket -> broken.putIfAbsent(socket, kind));
    }

    /** Forwards new connections again; those open during the partition stay silent. */
    public void restore() {
        partition = Partition.NONE;
    }

    /** Connections from clients open right now. */
    public int connections() {
        return clients.size();
    }

    private void acceptLoop() {
        while (closed.getCount() > 0) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (clients.size() >= maxConnections) {
                closeQuietly(client);
                continue;
            }
            clients.add(client);
            sockets.add(client);
            PUMPS.name("tcp-proxy-" + client.getPort()).start(() -> serve(client));
        }
    }

    private void serve(Socket client) {
        if (fate(client) != Partition.NONE) {
            pump(client, null); // answer nothing
            return;
        }
        Socket upstream = new Socket();
        sockets.add(upstream);
        try {
            if (receiveBuffer.isPresent()) {
                upstream.setReceiveBufferSize(receiveBuffer.getAsInt());
            }
            upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            forget(upstream);
            forget(client);
            return;
        }
        PUMPS.name("tcp-proxy-up-" + client.getPort()).start(() -> pump(client, upstream));
        pump(upstream, client);
    }

    /**
     * Copies {@code from} to {@code to} while not partitioned; once cut, or always when {@code to} is null, drops
     * the bytes; once stalled, reads no more until the proxy closes. When {@code from} ends, closes it (only its
     * own peer, which ended it, can notice) and, unless partitioned, passes the end on by closing {@code to}.
     */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[BUFFER];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to == null ? null : to.getOutputStream();
            int read;
            while (fate(from) != Partition.STALL && (read = in.read(buffer)) >= 0) {
                if (out != null && fate(from) == Partition.NONE) {
                    out.write(buffer, 0, read);
                }
            }
            if (fate(from) == Partition.STALL) {
                closed.await();
            }
        } catch (IOException e) {
            // a broken connection ends like a closed one
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean passEndOn = to != null && fate(from) == Partition.NONE;
        forget(from);
        if (passEndOn) {
            forget(to);
        }
    }

    /** The partition that broke {@code socket}, marking it broken if the proxy is partitioned now. */
    private Partition fate(Socket socket) {
        Partition now = partition;
        if (now != Partition.NONE) {
            broken.putIfAbsent(socket, now);
        }
        return broken.getOrDefault(socket, Partition.NONE);
    }

    private void forget(Socket socket) {
        closeQuietly(socket);
        sockets.remove(socket);
        clients.remove(socket);
        broken.remove(socket);
    }

    /** Closes the listener and every connection, partitioned or not. */
    @Override
    public void close() {
        if (closed.getCount() > 0) {
            closed.countDown();
            closeQuietly(listener);
            sockets.forEach(TcpProxy::closeQuietly);
            sockets.clear();
            clients.clear();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // nothing to do: it is going away either way
        }
    }
}
