package dev.opsbot.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The local registry the demo images come from (examples/demo/registry.sh). */
final class Registry {
    static final String URL = "http://127.0.0.1:5000/v2/";

    private Registry() {
    }

    static void require() {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(URL))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 200) return;
            throw new IllegalStateException("the registry at " + URL + " answers " + r.statusCode());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no registry at " + URL + ": start it with examples/demo/registry.sh", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
