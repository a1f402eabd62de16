package dev.opsbot.core.dockerjava;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Engine API calls as JSON trees over docker-java's own connection. docker-java 3.7.1 has no
 * rollback flag on service update, no job modes, no PreviousSpec and no service status counts,
 * and its typed spec drops fields it does not model when it is sent back; a tree read from the
 * engine and written back unchanged except where we edit it keeps the rest of the spec as it was.
 */
final class EngineApi {
    /** Jobs (replicated-job) and {@code ?status=true} on service lists need 1.41 (Engine 20.10). */
    private static final String VERSION = "/v1.41";

    private final DockerHttpClient http;
    private final EngineFailures failures;
    private final ObjectMapper json = new ObjectMapper();

    EngineApi(DockerHttpClient http, EngineFailures failures) {
        this.http = http;
        this.failures = failures;
    }

    JsonNode get(String what, String path) {
        return send(what, DockerHttpClient.Request.Method.GET, path, null);
    }

    JsonNode post(String what, String path, JsonNode body) {
        return send(what, DockerHttpClient.Request.Method.POST, path, body);
    }

    void delete(String what, String path) {
        send(what, DockerHttpClient.Request.Method.DELETE, path, null);
    }

    /** The {@code filters} query parameter: a JSON map of lists, URL-encoded. */
    String filters(Map<String, List<String>> filters) {
        try {
            return URLEncoder.encode(json.writeValueAsString(filters), StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static String encode(String pathPart) {
        return URLEncoder.encode(pathPart, StandardCharsets.UTF_8);
    }

    private JsonNode send(String what, DockerHttpClient.Request.Method method, String path, JsonNode body) {
        DockerHttpClient.Request.Builder request = DockerHttpClient.Request.builder().method(method).path(VERSION + path);
        if (body != null) {
            try {
                request.putHeader("Content-Type", "application/json").bodyBytes(json.writeValueAsBytes(body));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        }
        byte[] answer;
        int status;
        try (DockerHttpClient.Response response = http.execute(request.build()); InputStream in = response.getBody()) {
            status = response.getStatusCode();
            answer = in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            // execute() only throws for the transport: the engine did not answer at all.
            throw failures.notReached(what, e);
        }
        JsonNode tree = parse(answer);
        if (status >= 400) throw failures.answered(what, status, message(tree, answer));
        return tree;
    }

    private JsonNode parse(byte[] answer) {
        if (answer.length == 0) return MissingNode.getInstance();
        try {
            return json.readTree(answer);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    /** The engine's own words: errors come as {@code {"message": "..."}}. */
    private static String message(JsonNode tree, byte[] answer) {
        String message = tree.path("message").asText("");
        if (!message.isBlank()) return message.strip();
        String raw = new String(answer, StandardCharsets.UTF_8).strip();
        return raw.isEmpty() ? "no answer" : raw;
    }
}
