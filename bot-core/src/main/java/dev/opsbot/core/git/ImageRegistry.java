package dev.opsbot.core.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks a registry whether an image tag exists, through the registry HTTP API
 * ({@code HEAD /v2/<name>/manifests/<tag>}, accepting Docker and OCI manifests and indexes).
 * Anonymous, basic, or the bearer-token exchange registries such as GHCR ask for. A registry on
 * this machine (localhost, 127.x) is spoken to over plain HTTP, as Docker does.
 */
public final class ImageRegistry {
    static final String ACCEPT = String.join(", ",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json");
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final RemoteCredentials credentials;

    /** @param credentials for private registries; null for anonymous access */
    public ImageRegistry(RemoteCredentials credentials) {
        this.credentials = credentials;
    }

    /** Where an image lives: the registry's base URL and the repository name inside it. */
    public record Location(String baseUrl, String name) {
        public static Location of(String repository) {
            int slash = repository.indexOf('/');
            String first = slash < 0 ? "" : repository.substring(0, slash);
            boolean host = first.contains(".") || first.contains(":") || first.equals("localhost");
            if (!host) {
                String name = repository.contains("/") ? repository : "library/" + repository;
                return new Location("https://registry-1.docker.io", name);
            }
            String hostOnly = first.replaceFirst(":\\d+$", "");
            boolean local = hostOnly.equals("localhost") || hostOnly.startsWith("127.") || hostOnly.equals("[::1]");
            return new Location((local ? "http://" : "https://") + first, repository.substring(slash + 1));
        }
    }

    /**
     * Whether {@code repository:tag} exists. Throws {@link ReleaseException} when the registry
     * cannot be asked (unreachable, refusing the credentials, answering something else).
     */
    public boolean exists(String repository, String tag) {
        Location at = Location.of(repository);
        URI uri = URI.create(at.baseUrl() + "/v2/" + at.name() + "/manifests/" + URLEncoder.encode(tag, StandardCharsets.UTF_8));
        try {
            HttpResponse<Void> answer = head(uri, null);
            if (answer.statusCode() == 401) {
                String auth = authorization(answer.headers().firstValue("WWW-Authenticate").orElse(""), repository);
                if (auth != null) answer = head(uri, auth);
            }
            return switch (answer.statusCode()) {
                case 200 -> true;
                case 404 -> false;
                case 401, 403 -> throw new ReleaseException("the registry of " + repository + " refused access (HTTP "
                        + answer.statusCode() + "): set release.registry-username and -password");
                default -> throw new ReleaseException("the registry of " + repository + " answered HTTP " + answer.statusCode()
                        + " for " + tag);
            };
        } catch (IOException e) {
            throw new ReleaseException("the registry " + at.baseUrl() + " cannot be reached: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReleaseException("interrupted while asking the registry " + at.baseUrl());
        }
    }

    private HttpResponse<Void> head(URI uri, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", ACCEPT)
                .method("HEAD", HttpRequest.BodyPublishers.noBody());
        if (authorization != null) req.header("Authorization", authorization);
        return http.send(req.build(), HttpResponse.BodyHandlers.discarding());
    }

    /** The Authorization header a 401's challenge asks for, or null when there is none to give. */
    private String authorization(String challenge, String repository) throws IOException, InterruptedException {
        String basic = credentials == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (credentials.username() + ":" + credentials.password()).getBytes(StandardCharsets.UTF_8));
        if (challenge.regionMatches(true, 0, "Basic", 0, 5)) return basic;
        if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) return null;
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = CHALLENGE_PARAM.matcher(challenge);
        while (m.find()) params.put(m.group(1), m.group(2));
        String realm = params.get("realm");
        if (realm == null) return null;
        StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
        if (params.containsKey("service")) url.append("service=").append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8)).append('&');
        String scope = params.getOrDefault("scope", "repository:" + Location.of(repository).name() + ":pull");
        url.append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url.toString())).timeout(TIMEOUT).GET();
        if (basic != null) req.header("Authorization", basic);
        HttpResponse<String> answer = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) return null;
        JsonNode json = new ObjectMapper().readTree(answer.body());
        String token = json.hasNonNull("token") ? json.get("token").asText() : json.path("access_token").asText(null);
        return token == null ? null : "Bearer " + token;
    }
}
