package dev.opsbot.slack;

import com.slack.api.bolt.App;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.util.QueryStringParser;
import com.slack.api.bolt.util.SlackRequestParser;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP mode's endpoint as a handler of Jetty's own: what Bolt's servlet does (a POST at the path
 * becomes a Bolt request, Bolt's answer the response; other methods 405, other paths 404) without
 * the servlet layer around it, which cost as much again as Jetty itself for each acknowledgement.
 * The body is read as sent, so the signature is checked over the bytes Slack signed.
 */
final class BoltHandler extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(BoltHandler.class);

    private final App app;
    private final SlackRequestParser parser;
    private final String path;

    BoltHandler(App app, String path) {
        this.app = app;
        this.parser = new SlackRequestParser(app.config());
        this.path = path;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!path.equals(Request.getPathInContext(request))) return false;
        if (!"POST".equals(request.getMethod())) {
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        Charset charset = Request.getCharset(request);
        String body = Content.Source.asString(request, charset != null ? charset : StandardCharsets.UTF_8);
        com.slack.api.bolt.request.Request<?> slackRequest = parser.parse(SlackRequestParser.HttpRequest.builder()
                .requestUri(request.getHttpURI().getPath())
                .queryString(QueryStringParser.toMap(request.getHttpURI().getQuery()))
                .headers(new RequestHeaders(headers(request)))
                .requestBody(body)
                .remoteAddress(Request.getRemoteAddr(request))
                .build());
        if (slackRequest == null) {
            callback.succeeded();
            return true;
        }
        com.slack.api.bolt.response.Response answer;
        try {
            answer = app.run(slackRequest);
        } catch (Exception e) {
            log.error("Failed to handle a request - {}", e.getMessage(), e);
            answer = com.slack.api.bolt.response.Response.json(500, "{\"error\":\"Something is wrong\"}");
        }
        response.setStatus(answer.getStatusCode());
        if (answer.getHeaders() != null) {
            answer.getHeaders().forEach((name, values) -> values.forEach(v -> response.getHeaders().add(name, v)));
        }
        if (answer.getContentType() != null) response.getHeaders().put("Content-Type", answer.getContentType());
        Content.Sink.write(response, true, answer.getBody() == null ? "" : answer.getBody(), callback);
        return true;
    }

    private static Map<String, List<String>> headers(Request request) {
        Map<String, List<String>> headers = new HashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getName(), k -> new ArrayList<>()).add(field.getValue());
        }
        return headers;
    }
}
