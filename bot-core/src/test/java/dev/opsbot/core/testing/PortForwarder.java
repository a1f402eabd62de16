package dev.opsbot.core.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Passes every TCP connection made to its port on to {@code target}, both ways, until either
 * side closes: how {@link SecondEngine}, in a network namespace of its own, reaches the host's
 * local registry through the host end of its veth.
 */
final class PortForwarder {
    private final ServerSocketChannel server;
    private final InetSocketAddress target;
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();

    PortForwarder(InetSocketAddress bind, InetSocketAddress target) throws IOException {
        this.server = ServerSocketChannel.open().bind(bind);
        this.target = target;
        Thread acceptor = new Thread(this::accept, "second-engine-registry");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.socket().getLocalPort();
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                SocketChannel upstream;
                try {
                    upstream = SocketChannel.open(target);
                } catch (IOException e) {
                    closeQuietly(client);
                    continue;
                }
                open.add(client);
                open.add(upstream);
                AtomicInteger directions = new AtomicInteger(2);
                pump(client, upstream, directions);
                pump(upstream, client, directions);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(SocketChannel from, SocketChannel to, AtomicInteger directions) {
        Thread t = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) to.write(buffer);
                    buffer.clear();
                }
                to.shutdownOutput();
            } catch (IOException e) {
                directions.set(1);
            }
            if (directions.decrementAndGet() <= 0) {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "second-engine-registry-pump");
        t.setDaemon(true);
        t.start();
    }

    void close() {
        closeQuietly(server);
        open.forEach(PortForwarder::closeQuietly);
    }

    private static void closeQuietly(Channel c) {
        try {
            c.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
