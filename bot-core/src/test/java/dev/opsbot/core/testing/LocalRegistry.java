package dev.opsbot.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The local registry on 127.0.0.1:5000 (examples/demo/registry.sh). Tests that need it are
 * skipped with a message when it does not answer, and fail instead under OPSBOT_REQUIRE_DOCKER=1.
 * Tags a test adds go to a repository of its own and are deleted by {@link #deleteAdded()}.
 */
public final class LocalRegistry {
    public static final String HOST = "127.0.0.1:5000";
    private static final String V2 = "application/vnd.docker.distribution.manifest.v2+json";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final List<String[]> added = new ArrayList<>();

    public static LocalRegistry require() {
        LocalRegistry r = new LocalRegistry();
        int status;
        try {
            status = r.send(HttpRequest.newBuilder(URI.create("http://" + HOST + "/v2/")).GET()).statusCode();
        } catch (IOException e) {
            status = -1;
        }
        if (status != 200) {
            String message = "this test needs the local registry on " + HOST + " and it does not answer"
                    + (status > 0 ? " (HTTP " + status + ")" : "") + "; start it with examples/demo/registry.sh, or run .ci/run";
            MissingRequirement.skipOrFail(message);
        }
        return r;
    }

    /** Gives the image {@code from:fromTag} the name {@code to:toTag} in this registry (layers mounted, manifest copied). */
    public void copy(String from, String fromTag, String to, String toTag) throws IOException {
        HttpResponse<byte[]> manifest = sendBytes(HttpRequest.newBuilder(url(from, "manifests/" + fromTag)).header("Accept", V2).GET());
        if (manifest.statusCode() != 200) throw new IllegalStateException(from + ":" + fromTag + " is not in the registry: HTTP " + manifest.statusCode());
        JsonNode json = new ObjectMapper().readTree(manifest.body());
        List<String> digests = new ArrayList<>();
        digests.add(json.path("config").path("digest").asText());
        json.path("layers").forEach(l -> digests.add(l.path("digest").asText()));
        for (String d : digests) {
            int status = send(HttpRequest.newBuilder(URI.create("http://" + HOST + "/v2/" + to + "/blobs/uploads/?mount=" + d + "&from=" + from))
                    .POST(HttpRequest.BodyPublishers.noBody())).statusCode();
            if (status != 201) throw new IllegalStateException("mounting " + d + " into " + to + ": HTTP " + status);
        }
        HttpResponse<String> put = sendString(HttpRequest.newBuilder(url(to, "manifests/" + toTag))
                .header("Content-Type", manifest.headers().firstValue("Content-Type").orElse(V2))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.body())));
        if (put.statusCode() != 201) throw new IllegalStateException("putting " + to + ":" + toTag + ": HTTP " + put.statusCode() + " " + put.body());
        added.add(new String[] {to, put.headers().firstValue("Docker-Content-Digest").orElseThrow()});
    }

    /** Deletes the manifests this test added (only in the test's own repositories). */
    public void deleteAdded() throws IOException {
        for (String[] a : added) send(HttpRequest.newBuilder(url(a[0], "manifests/" + a[1])).DELETE());
        added.clear();
    }

    private static URI url(String repository, String path) {
        return URI.create("http://" + HOST + "/v2/" + repository + "/" + path);
    }

    private HttpResponse<Void> send(HttpRequest.Builder b) throws IOException {
        try {
            return http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private HttpResponse<byte[]> sendBytes(HttpRequest.Builder b) throws IOException {
        try {
            return http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private HttpResponse<String> sendString(HttpRequest.Builder b) throws IOException {
        try {
            return http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
