package io.orchestr.e2e.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy on the loopback interface that a test or benchmark can cut, to play a network partition between
 * one node and the broker. Until {@link #cut()}, it forwards bytes both ways. From then on it forwards nothing
 * but closes nothing either: bytes are read and dropped (so neither end sees its writes fail), closes are not
 * passed on, and new connections are accepted and left silent. Each end can only find out through its own
 * timeouts (heartbeats, the node's fence), as across a real partition. {@link #restore()} ends the partition
 * for new connections; the ones it severed stay silent, as connections broken by a real partition do.
 *
 * <p>Bounded: at most {@code maxConnections} connections at once, each with two virtual threads and a fixed
 * buffer per direction; connections past the bound are closed at once.
 */
public final class TcpProxy implements AutoCloseable {
    private static final int BUFFER = 16 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 2000;

    private final InetSocketAddress target;
    private final int maxConnections;
    private final ServerSocket listener;
    private final AtomicBoolean cut = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    /** Sockets open while the proxy was cut: they never forward again. */
    private final Set<Socket> severed = ConcurrentHashMap.newKeySet();

    /** Listens on an ephemeral loopback port (see {@link #port()}) and forwards to {@code target}. */
    public TcpProxy(InetSocketAddress target, int maxConnections) throws IOException {
        this.target = target;
        this.maxConnections = maxConnections;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("tcp-proxy-accept-" + port()).start(this::acceptLoop);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Stops forwarding anything, at once, without closing any connection. */
    public void cut() {
        cut.set(true);
        severed.addAll(sockets);
    }

    /** Forwards new connections again; those open during the cut stay silent. */
    public void restore() {
        cut.set(false);
    }

    /** Connections from clients open right now. */
    public int connections() {
        return clients.size();
    }

    private void acceptLoop() {
        while (!closed.get()) {
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
            Thread.ofVirtual().name("tcp-proxy-" + client.getPort()).start(() -> serve(client));
        }
    }

    private void serve(Socket client) {
        if (cut.get()) {
            severed.add(client);
            pump(client, null); // swallow what the client sends, answer nothing
            return;
        }
        Socket upstream = new Socket();
        sockets.add(upstream);
        try {
            upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            forget(upstream);
            forget(client);
            return;
        }
        Thread.ofVirtual().name("tcp-proxy-up-" + client.getPort()).start(() -> pump(client, upstream));
        pump(upstream, client);
    }

    /**
     * Copies {@code from} to {@code to} while not cut; drops the bytes once cut, or always when {@code to} is
     * null. When {@code from} ends, closes it (only its own peer, which ended it, can notice) and, unless cut,
     * passes the end on by closing {@code to}.
     */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[BUFFER];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to == null ? null : to.getOutputStream();
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (out != null && !isSevered(from)) {
                    out.write(buffer, 0, read);
                }
            }
        } catch (IOException e) {
            // a broken connection ends like a closed one
        }
        boolean passEndOn = to != null && !isSevered(from);
        forget(from);
        if (passEndOn) {
            forget(to);
        }
    }

    private boolean isSevered(Socket socket) {
        if (cut.get()) {
            severed.add(socket);
        }
        return severed.contains(socket);
    }

    private void forget(Socket socket) {
        closeQuietly(socket);
        sockets.remove(socket);
        clients.remove(socket);
        severed.remove(socket);
    }

    /** Closes the listener and every connection, cut or not. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            severed.clear();
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
