package dev.opsbot.core.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Passes every TCP connection made to its port on to {@code target} (a TCP or a Unix socket),
 * both ways, until both sides are done: how {@link SecondEngine}, in a network namespace of its
 * own, reaches the host's local registry, and how {@link DockerTcpProxy} offers the local engine
 * on a TCP port. {@link #close()} stops listening and cuts open connections.
 */
final class PortForwarder implements AutoCloseable {
    private final ServerSocketChannel server;
    private final SocketAddress target;
    private final String name;
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();

    /** @param name names its threads */
    PortForwarder(InetSocketAddress bind, SocketAddress target, String name) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        // A forwarder closed earlier may come back on its port, where its clients look for it.
        channel.socket().setReuseAddress(true);
        this.server = channel.bind(bind);
        this.target = target;
        this.name = name;
        Thread acceptor = new Thread(this::accept, name);
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
        }, name + "-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
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
