package dev.opsbot.discord;

import dev.opsbot.core.telemetry.Telemetry;
import java.io.IOException;
import java.time.Duration;
import java.util.regex.Pattern;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Counts every REST call JDA makes, by route with the ids taken out ({@code POST
 * channels/{id}/messages}) so that the label stays a small set, and the waits Discord asks for
 * with HTTP 429 (JDA waits them out and retries by itself).
 */
final class DiscordCallMeter implements Interceptor {
    private static final Pattern VERSION_PREFIX = Pattern.compile("^/api/v\\d+/");
    /** Route words are short lower-case words ({@code messages}, {@code @original}); anything else is an id or a token. */
    private static final Pattern ROUTE_WORD = Pattern.compile("[a-z@_-]{1,32}");

    private final Telemetry telemetry;

    DiscordCallMeter(Telemetry telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        String method = route(chain.request().method(), chain.request().url().encodedPath());
        Response response;
        try {
            response = chain.proceed(chain.request());
        } catch (IOException | RuntimeException e) {
            telemetry.chatCall(InteractionListener.PLATFORM, method, "error");
            throw e;
        }
        int code = response.code();
        if (code == 429) {
            telemetry.chatCall(InteractionListener.PLATFORM, method, "rate_limited");
            telemetry.rateLimitWait(InteractionListener.PLATFORM, method, retryAfter(response));
        } else {
            telemetry.chatCall(InteractionListener.PLATFORM, method, response.isSuccessful() ? "ok" : "error");
        }
        return response;
    }

    /** {@code POST /api/v10/channels/123/messages} as {@code POST channels/{id}/messages}. */
    static String route(String httpMethod, String path) {
        String[] segments = VERSION_PREFIX.matcher(path).replaceFirst("").split("/");
        StringBuilder route = new StringBuilder(httpMethod).append(' ');
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].isEmpty()) continue;
            if (route.charAt(route.length() - 1) != ' ') route.append('/');
            route.append(ROUTE_WORD.matcher(segments[i]).matches() ? segments[i] : "{id}");
        }
        return route.toString();
    }

    /** Discord's Retry-After is in seconds, possibly with a fraction. */
    private static Duration retryAfter(Response response) {
        String header = response.header("Retry-After");
        if (header == null) return Duration.ZERO;
        try {
            return Duration.ofMillis(Math.round(Double.parseDouble(header.trim()) * 1000));
        } catch (NumberFormatException e) {
            return Duration.ZERO;
        }
    }
}
