package dev.opsbot.core.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * The local Docker engine reached over TCP on a loopback port of its own, as a second
 * environment's endpoint: every connection is passed to the engine's socket. {@link #close()}
 * stops listening and cuts open connections, so the endpoint behaves as an engine that went
 * away (connection refused).
 */
public final class DockerTcpProxy implements AutoCloseable {
    private final PortForwarder forwarder;

    public DockerTcpProxy(Path socket) throws IOException {
        this(socket, 0);
    }

    /** On a given loopback port: a proxy closed earlier comes back where its clients look for it. */
    public DockerTcpProxy(Path socket, int port) throws IOException {
        this.forwarder = new PortForwarder(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                UnixDomainSocketAddress.of(socket), "docker-tcp-proxy");
    }

    public int port() {
        return forwarder.port();
    }

    /** {@code tcp://127.0.0.1:PORT} */
    public String endpoint() {
        return "tcp://127.0.0.1:" + port();
    }

    @Override
    public void close() throws IOException {
        forwarder.close();
    }
}
