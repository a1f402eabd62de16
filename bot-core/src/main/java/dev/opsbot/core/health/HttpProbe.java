package dev.opsbot.core.health;

import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.engine.Stack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** GETs the probe's URL and compares status and body. */
final class HttpProbe implements Probe {
    private final ProbeSpec.Http spec;
    private final Stack stack;
    private final DockerHost docker;
    private final HttpClient http;

    HttpProbe(ProbeSpec.Http spec, Stack stack, DockerHost docker) {
        this.spec = spec;
        this.stack = stack;
        this.docker = docker;
        this.http = HttpClient.newBuilder().connectTimeout(spec.timeout()).build();
    }

    @Override
    public ProbeResult run() {
        String target;
        try {
            target = target();
        } catch (RuntimeException e) {
            return ProbeResult.fail(e.getMessage());
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(target)).timeout(spec.timeout()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = response.body() == null ? "" : response.body().strip();
            String shown = "GET " + target + " -> " + response.statusCode() + (body.isEmpty() ? "" : " " + clip(body));
            if (response.statusCode() != spec.expectStatus()) return ProbeResult.fail(shown + " (expected " + spec.expectStatus() + ")");
            if (spec.expectBody() != null && !body.contains(spec.expectBody())) {
                return ProbeResult.fail(shown + " (expected the body to contain '" + spec.expectBody() + "')");
            }
            return ProbeResult.pass(shown);
        } catch (IOException e) {
            return ProbeResult.fail("GET " + target + " failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeResult.fail("GET " + target + " was interrupted");
        }
    }

    private String target() {
        if (spec.url() != null) return spec.url();
        int hostPort = docker.publishedPort(stack.load(), spec.service(), spec.port())
                .orElseThrow(() -> new IllegalStateException(spec.service() + " publishes no host port for " + spec.port()
                        + " (is it running?)"));
        return "http://" + docker.publishedHost() + ":" + hostPort + spec.path();
    }

    private static String clip(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
