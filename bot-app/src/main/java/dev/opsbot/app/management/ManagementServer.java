package dev.opsbot.app.management;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.opsbot.app.telemetry.PrometheusTelemetry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The management listener: {@code /healthz} (200 while the process serves), {@code /readyz} (200
 * when every part is ready, else 503 with JSON naming each part and why, and saying which
 * environments this replica leads) and {@code /metrics} (Prometheus' text format). It binds to the
 * one configured address only.
 *
 * <p>The JDK's own HTTP server is enough for three small GET answers and is in every Java
 * runtime; Jetty is on the class path only for Slack's HTTP mode and would tie the listener
 * to that adapter's dependencies.
 */
public final class ManagementServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "opsbot-management");
        t.setDaemon(true);
        return t;
    });
    private final Readiness readiness;
    private final PrometheusTelemetry metrics;

    private ManagementServer(InetSocketAddress address, Readiness readiness, PrometheusTelemetry metrics) throws IOException {
        this.readiness = readiness;
        this.metrics = metrics;
        this.server = HttpServer.create(address, 16);
        server.createContext("/healthz", ex -> answer(ex, 200, "text/plain; charset=utf-8", "ok\n".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/readyz", this::readyz);
        server.createContext("/metrics", this::metrics);
        server.createContext("/", ex -> answer(ex, 404, "text/plain; charset=utf-8",
                "not found: /healthz, /readyz, /metrics\n".getBytes(StandardCharsets.UTF_8)));
        server.setExecutor(threads);
        server.start();
    }

    /** Listens on {@code address} (port 0: any free port) until closed. */
    public static ManagementServer start(InetSocketAddress address, Readiness readiness, PrometheusTelemetry metrics) throws IOException {
        return new ManagementServer(address, readiness, metrics);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void readyz(HttpExchange ex) throws IOException {
        Readiness.Report report = readiness.report();
        ObjectNode body = JSON.createObjectNode();
        body.put("status", report.ready() ? "ready" : "not ready");
        ObjectNode parts = body.putObject("parts");
        report.parts().forEach(parts::put);
        if (report.replica() != null) {
            body.put("replica", report.replica());
            ObjectNode leadership = body.putObject("leadership");
            report.leadership().forEach((environment, leading) -> {
                ObjectNode e = leadership.putObject(environment).put("leading", leading.leads());
                if (leading.leads()) {
                    e.put("since", leading.since() == null ? null : leading.since().toString());
                } else {
                    e.put("leader", leading.leader());
                }
            });
        }
        answer(ex, report.ready() ? 200 : 503, "application/json",
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body));
    }

    private void metrics(HttpExchange ex) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        metrics.scrape(out);
        answer(ex, 200, metrics.contentType(), out.toByteArray());
    }

    private static void answer(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                ex.sendResponseHeaders(405, -1);
                return;
            }
            ex.getResponseHeaders().set("Content-Type", type);
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = method.equals("HEAD");
            ex.sendResponseHeaders(status, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
