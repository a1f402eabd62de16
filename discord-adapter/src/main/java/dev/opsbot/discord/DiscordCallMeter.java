package dev.opsbot.discord;

import dev.opsbot.core.telemetry.Telemetry;
import java.io.IOException;
import java.time.Duration;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Counts every REST call JDA makes, by route with the ids taken out ({@code POST
 * channels/{id}/messages}) so that the label stays a small set, and the waits Discord asks for
 * with HTTP 429 (JDA waits them out and retries by itself).
 */
final class DiscordCallMeter implements Interceptor {
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

    /** {@code POST /api/v10/channels/123/messages} as {@code POST channels/{id}/messages}. Runs for every call: no regex. */
    static String route(String httpMethod, String path) {
        StringBuilder route = new StringBuilder(httpMethod.length() + 48).append(httpMethod).append(' ');
        int length = route.length();
        for (int start = afterVersion(path), end; start < path.length(); start = end + 1) {
            end = path.indexOf('/', start);
            if (end < 0) end = path.length();
            if (end == start) continue;
            if (route.length() > length) route.append('/');
            if (isRouteWord(path, start, end)) route.append(path, start, end);
            else route.append("{id}");
        }
        return route.toString();
    }

    /** Where the route starts: after {@code /api/v10/}, or after the leading slash. */
    private static int afterVersion(String path) {
        if (!path.startsWith("/api/v")) return 0;
        int i = "/api/v".length();
        while (i < path.length() && Character.isDigit(path.charAt(i))) i++;
        return i > "/api/v".length() && i < path.length() && path.charAt(i) == '/' ? i + 1 : 0;
    }

    /** Route words are short lower-case words ({@code messages}, {@code @original}); anything else is an id or a token. */
    private static boolean isRouteWord(String path, int start, int end) {
        if (end - start > 32) return false;
        for (int i = start; i < end; i++) {
            char c = path.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c == '@' || c == '_' || c == '-')) return false;
        }
        return true;
    }

    /** Discord's Retry-After is in seconds, possibly with a fraction; zero when absent or unreadable. */
    static Duration retryAfter(Response response) {
        String header = response.header("Retry-After");
        if (header == null) return Duration.ZERO;
        try {
            return Duration.ofMillis(Math.round(Double.parseDouble(header.trim()) * 1000));
        } catch (NumberFormatException e) {
            return Duration.ZERO;
        }
    }
}
