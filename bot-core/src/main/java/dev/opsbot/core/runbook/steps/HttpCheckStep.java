package dev.opsbot.core.runbook.steps;

import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.StepBody;
import dev.opsbot.core.runbook.StepContext;
import dev.opsbot.core.runbook.StepFailedException;
import dev.opsbot.core.runbook.StepFields;
import dev.opsbot.core.runbook.StepKind;
import dev.opsbot.core.runbook.Template;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/**
 * {@code http-check}: GETs a URL until it answers as expected, up to {@code retries} times.
 * The URL is given whole, or as a service's published port and a path ({@code service: proxy,
 * port: 80, path: /api/v1/health}), which finds the host port from the running container and
 * asks the engine's host (127.0.0.1 for a local engine, the endpoint's host for one over TCP).
 */
public record HttpCheckStep(String url, String service, int port, String path, int expectStatus,
                            String expectBody, int retries, Duration interval, Duration requestTimeout) implements Step {

    /** {@code http-check} in a runbook: {@code url}, or {@code service} with {@code port} and {@code path}. */
    public static final class Kind implements StepKind {
        @Override
        public String key() {
            return "http-check";
        }

        @Override
        public StepFields fields() {
            return StepFields.optional("url", "service", "port", "path", "expect-status", "expect-body", "retries",
                    "interval", "request-timeout");
        }

        @Override
        public Step build(StepBody body) {
            String url = body.string("url", null);
            String service = body.string("service", null);
            if ((url == null) == (service == null)) throw body.error("http-check needs either url, or service with port and path");
            return new HttpCheckStep(url, service,
                    service != null ? body.integer("port") : 0,
                    body.string("path", "/"),
                    body.integer("expect-status", 200),
                    body.string("expect-body", null),
                    Math.max(1, body.integer("retries", 10)),
                    body.duration("interval", Duration.ofSeconds(2)),
                    body.duration("request-timeout", Duration.ofSeconds(5)));
        }
    }

    @Override
    public String title(Template t) {
        return "check " + (url != null ? t.apply(url) : service + ":" + port + path) + " answers " + expectStatus;
    }

    @Override
    public Set<String> touches(Template t, Set<String> stack) {
        return service == null ? Set.of() : Set.of(service);
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
        String last = "no answer";
        for (int attempt = 1; attempt <= retries; attempt++) {
            if (attempt > 1) Thread.sleep(interval.toMillis());
            String target;
            try {
                target = target(ctx);
            } catch (RuntimeException e) {
                last = e.getMessage();
                ctx.out().line("attempt " + attempt + "/" + retries + ": " + last);
                continue;
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(target))
                        .timeout(requestTimeout).GET().build(), HttpResponse.BodyHandlers.ofString());
                String body = response.body() == null ? "" : response.body().strip();
                String shortBody = body.length() > 200 ? body.substring(0, 200) + "…" : body;
                last = "GET " + target + " -> " + response.statusCode() + (shortBody.isEmpty() ? "" : " " + shortBody);
                ctx.out().line("attempt " + attempt + "/" + retries + ": " + last);
                if (response.statusCode() == expectStatus && (expectBody == null || body.contains(expectBody))) {
                    ctx.healthVerified();
                    return;
                }
            } catch (IOException e) {
                last = "GET " + target + " failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                ctx.out().line("attempt " + attempt + "/" + retries + ": " + last);
            }
        }
        throw new StepFailedException("health check failed after " + retries + " attempts: " + last);
    }

    private String target(StepContext ctx) {
        if (url != null) return ctx.template().apply(url);
        int hostPort = ctx.docker().publishedPort(ctx.project(), service, port)
                .orElseThrow(() -> new IllegalStateException(service + " publishes no host port for " + port));
        return "http://" + ctx.docker().publishedHost() + ":" + hostPort + path;
    }
}
