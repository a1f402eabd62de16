package dev.opsbot.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The local Docker engine behind a loopback TCP port that can hold one chosen Engine API call:
 * the request is read but not passed on until the test releases it, so the bot is known to be
 * inside the step that made it (to kill it there, or to change a file meanwhile). Requests are
 * read one at a time as HTTP/1.1 (a body by Content-Length or chunks); a connection upgraded to
 * a raw stream (attach, exec) is passed through as it is from then on. Answers are passed as they
 * come.
 */
public final class HoldingDockerProxy implements AutoCloseable {
    private static final Pattern VERSION = Pattern.compile("^/v\\d+(\\.\\d+)?(?=/)");

    /** One Engine API request as the proxy saw it: method and path without the API version or the query. */
    public record Request(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** A call to hold: the {@code nth} request (from when it was asked for) whose method and path match. */
    public static final class Hold {
        private final String method;
        private final Pattern path;
        private final int nth;
        private final AtomicInteger seen = new AtomicInteger();
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile Request request;

        private Hold(String method, String pathRegex, int nth) {
            this.method = method;
            this.path = Pattern.compile(pathRegex);
            this.nth = nth;
        }

        private boolean claims(Request r) {
            if (held.getCount() == 0 || !r.method().equals(method) || !path.matcher(r.path()).matches()) return false;
            if (seen.incrementAndGet() != nth) return false;
            request = r;
            held.countDown();
            return true;
        }

        /** Waits until the call is held; fails the test when it never comes. */
        public Request awaitHeld(Duration timeout) throws InterruptedException {
            if (!held.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("no " + method + " " + path + " (#" + nth + ") reached the engine within " + timeout);
            }
            return request;
        }

        public boolean isHeld() {
            return held.getCount() == 0 && released.getCount() > 0;
        }

        /** Lets the held call (and any later one) through. */
        public void release() {
            released.countDown();
        }

        private void waitForRelease() throws InterruptedException {
            released.await();
        }
    }

    private final ServerSocket server;
    private final SocketAddress engineAddress;
    private final List<Hold> holds = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    /** In front of the engine at its default socket (or DOCKER_HOST's, when that is a unix socket). */
    public HoldingDockerProxy() throws IOException {
        this(engineSocket());
    }

    public HoldingDockerProxy(Path socket) throws IOException {
        this(UnixDomainSocketAddress.of(socket));
    }

    /** In front of an engine at a unix socket or a TCP address ({@link SecondEngine}'s). */
    public HoldingDockerProxy(SocketAddress engine) throws IOException {
        this.engineAddress = engine;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "holding-docker-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static Path engineSocket() {
        String host = System.getenv("DOCKER_HOST");
        return host != null && host.startsWith("unix://") ? Path.of(host.substring("unix://".length())) : Path.of("/var/run/docker.sock");
    }

    /** {@code tcp://127.0.0.1:PORT} */
    public String endpoint() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    /**
     * Holds the {@code nth} request from now on with this method and a path (without the API version
     * and the query) matching {@code pathRegex}, e.g. {@code hold("POST", "/images/create", 1)}.
     */
    public Hold hold(String method, String pathRegex, int nth) {
        Hold h = new Hold(method.toUpperCase(Locale.ROOT), pathRegex, nth);
        holds.add(h);
        return h;
    }

    /** Every request seen so far, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                SocketChannel engine;
                try {
                    engine = SocketChannel.open(engineAddress);
                } catch (IOException away) {
                    // The engine is away (restarting): the client sees its connection refused-like close.
                    client.close();
                    continue;
                }
                open.add(client);
                open.add(engine);
                InputStream fromEngine = Channels.newInputStream(engine);
                OutputStream toEngine = writingTo(engine);
                start("requests", () -> requests(client.getInputStream(), toEngine, client, engine));
                start("answers", () -> copy(fromEngine, client.getOutputStream(), client, engine));
            } catch (IOException e) {
                return;
            }
        }
    }

    /**
     * Writes straight to the channel: a stream from {@link Channels#newOutputStream} would wait for the
     * channel's blocking lock, which the thread reading the engine's answer holds while it waits.
     */
    private static OutputStream writingTo(SocketChannel channel) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
                while (buffer.hasRemaining()) channel.write(buffer);
            }
        };
    }

    private interface Pump {
        void run() throws IOException, InterruptedException;
    }

    private void start(String name, Pump pump) {
        Thread t = new Thread(() -> {
            try {
                pump.run();
            } catch (IOException | InterruptedException e) {
                // the connection ended
            }
        }, "holding-docker-proxy-" + name);
        t.setDaemon(true);
        t.start();
    }

    /** Reads requests one by one, holding the one a hold claims, until the connection turns into a raw stream. */
    private void requests(InputStream in, OutputStream out, Socket client, SocketChannel engine) throws IOException, InterruptedException {
        try {
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    // the client sent all it will: the engine may still be answering
                    engine.shutdownOutput();
                    return;
                }
                String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
                String path = VERSION.matcher(requestLine[1].replaceFirst("\\?.*$", "")).replaceFirst("");
                Request request = new Request(requestLine[0], path);
                requests.add(request);
                for (Hold h : holds) {
                    if (h.claims(request)) h.waitForRelease();
                }
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                String lower = head.toLowerCase(Locale.ROOT);
                if (lower.contains("\r\ntransfer-encoding: chunked")) {
                    copyChunks(in, out);
                } else {
                    long length = contentLength(lower);
                    copyExactly(in, out, length);
                }
                out.flush();
                if (lower.contains("\r\nupgrade:") || lower.contains("\r\nconnection: upgrade")) {
                    byte[] buffer = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                    engine.shutdownOutput();
                    return;
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            closeBoth(client, engine);
            throw e;
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) return null;
            head.write(b);
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static long contentLength(String lowerHead) {
        for (String line : lowerHead.split("\r\n")) {
            if (line.startsWith("content-length:")) return Long.parseLong(line.substring("content-length:".length()).trim());
        }
        return 0;
    }

    private static void copyChunks(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String sizeLine = readLine(in);
            out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            long size = Long.parseLong(sizeLine.replaceFirst(";.*$", "").trim(), 16);
            if (size == 0) {
                // trailers, then the empty line
                String line;
                do {
                    line = readLine(in);
                    out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                } while (!line.isEmpty());
                return;
            }
            copyExactly(in, out, size + 2);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') return line.toString().replaceFirst("\r$", "");
            line.append((char) b);
        }
        throw new IOException("connection ended inside a chunked body");
    }

    private static void copyExactly(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) throw new IOException("connection ended inside a body");
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private void copy(InputStream in, OutputStream out, Socket client, SocketChannel engine) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } finally {
            closeBoth(client, engine);
        }
    }

    private void closeBoth(Socket client, SocketChannel engine) {
        try {
            client.close();
        } catch (IOException ignored) {
            // already closed
        }
        try {
            engine.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Lets every held call go and stops: open connections are cut. */
    @Override
    public void close() throws IOException {
        holds.forEach(Hold::release);
        server.close();
        List<AutoCloseable> all = new ArrayList<>(open);
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already closed
            }
        }
    }
}
