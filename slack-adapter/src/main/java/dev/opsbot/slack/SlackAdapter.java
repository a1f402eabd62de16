package dev.opsbot.slack;

import com.google.gson.Gson;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.methods.RequestFormBuilder;
import com.slack.api.methods.request.chat.ChatPostEphemeralRequest;
import com.slack.api.methods.request.chat.ChatPostMessageRequest;
import com.slack.api.methods.request.chat.ChatUpdateRequest;
import com.slack.api.methods.request.files.FilesCompleteUploadExternalRequest;
import com.slack.api.methods.response.chat.ChatPostEphemeralResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import com.slack.api.methods.response.files.FilesGetUploadURLExternalResponse;
import com.slack.api.socket_mode.SocketModeClient;
import com.slack.api.util.json.GsonFactory;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.ChatAdapter;
import dev.opsbot.core.chat.ChatInbox;
import dev.opsbot.core.chat.ChatLimits;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.ModalPort;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.telemetry.Telemetry;
import dev.opsbot.slack.SlackWebApi.Repeat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's chat port on Slack, through Bolt: Socket Mode when an app token is set, otherwise
 * HTTP mode (Bolt in an embedded Jetty, {@link BoltHandler}, every request's signature checked by Bolt).
 * Commands, button presses and modal submissions go to the core's inbox; messages are rendered as
 * Block Kit. It keeps no state of its own beyond what answering an interaction needs.
 */
public final class SlackAdapter implements ChatAdapter, ModalPort {

    private static final Logger log = LoggerFactory.getLogger(SlackAdapter.class);

    public static final String PLATFORM = "slack";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

    private final SlackSettings settings;
    private final Telemetry telemetry;
    private final Slack slack;
    private final SlackWebApi api;
    private final BlockKitRenderer renderer = new BlockKitRenderer();
    private final UpdatePacer pacer = new UpdatePacer(BlockKitRenderer.LIMITS.minUpdateInterval());
    private final Interactions interactions = new Interactions();
    private final Gson gson = GsonFactory.createSnakeCase();
    private final ExecutorService handoff = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "slack-inbox");
        t.setDaemon(true);
        return t;
    });

    private App app;
    private SocketModeApp socketModeApp;
    private SocketModeEnvelopes envelopes;
    private Server server;
    private boolean closed;

    public SlackAdapter(SlackSettings settings) {
        this(settings, Telemetry.NONE);
    }

    /** @param telemetry counts Web API calls and rate-limit waits, and times acknowledgements */
    public SlackAdapter(SlackSettings settings, Telemetry telemetry) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        if (!settings.enabled()) {
            throw new IllegalArgumentException(
                    "Slack needs SLACK_BOT_TOKEN and either SLACK_APP_TOKEN or SLACK_SIGNING_SECRET");
        }
        SlackConfig config = new SlackConfig();
        // Every Web API call, apps.connections.open included, goes to this base URL.
        config.setMethodsEndpointUrlPrefix(settings.apiUrlPrefix());
        config.setStatsEnabled(false);
        this.slack = Slack.getInstance(config);
        this.api = new SlackWebApi(slack, settings.botToken(), telemetry);
    }

    public SlackSettings settings() {
        return settings;
    }

    @Override
    public String platform() {
        return PLATFORM;
    }

    @Override
    public boolean runsInThreads() {
        return settings.threadReplies();
    }

    @Override
    public ChatLimits limits() {
        return BlockKitRenderer.LIMITS;
    }

    // ---------------------------------------------------------------- connecting

    @Override
    public synchronized void start(ChatInbox inbox) throws Exception {
        Objects.requireNonNull(inbox, "inbox");
        if (app != null) throw new IllegalStateException("already started");
        if (closed) throw new IllegalStateException("closed");
        // Bolt checks the token too, but reports an unreachable Slack as an invalid token.
        api.call("auth.test", Repeat.THROUGH_SERVER_ERRORS, () -> api.methods().authTest(req -> req));
        boolean socketMode = settings.mode() == SlackSettings.Mode.SOCKET;
        AppConfig config = AppConfig.builder()
                .slack(slack)
                .singleTeamBotToken(settings.botToken())
                .signingSecret(socketMode ? null : settings.signingSecret())
                // auth.test answers once, when the app starts; the token is checked there.
                .authTestCacheExpirationMillis(-1)
                .build();
        app = new BoltApp(config);
        app.use((request, response, chain) -> {
            // Bolt sends the acknowledgement when the chain returns: this is the time it took.
            long started = System.nanoTime();
            try {
                return chain.next(request);
            } finally {
                telemetry.commandAcknowledged(PLATFORM, Duration.ofNanos(System.nanoTime() - started));
            }
        });
        new BoltRoutes(inbox, interactions, handoff, new UserGroups(api)::of).register(app);
        if (socketMode) {
            startSocketMode();
        } else {
            startHttp();
        }
    }

    private void startSocketMode() throws Exception {
        socketModeApp = new SocketModeApp(settings.appToken(), SocketModeClient.Backend.JavaWebSocket, app);
        try {
            socketModeApp.startAsync();
        } catch (NullPointerException e) {
            // When apps.connections.open fails at the HTTP level, Bolt's client factory logs the
            // error and returns no client, and starting then fails on it.
            throw new IllegalStateException("Socket Mode could not connect: apps.connections.open failed at "
                    + settings.apiUrlPrefix() + " (the cause is logged above)", e);
        }
        envelopes = SocketModeEnvelopes.takeOver(socketModeApp.getClient());
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        while (!socketModeApp.getClient().verifyConnection()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("Socket Mode did not connect within " + CONNECT_TIMEOUT);
            }
            Thread.sleep(100);
        }
        log.info("Slack connected in Socket Mode");
    }

    private void startHttp() throws Exception {
        app.start(); // Bolt's own auth.test now rather than on the first request
        server = new Server(settings.httpPort());
        server.setHandler(new BoltHandler(app, settings.path()));
        server.start();
        log.info("Slack HTTP mode listening on port {} at {}", localPort(), settings.path());
    }

    /** The port HTTP mode listens on (the real one when settings asked for 0), or -1 in Socket Mode. */
    public synchronized int localPort() {
        if (server == null) return -1;
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** Socket Mode: the websocket answers a ping (within 3 s); HTTP mode: the endpoint listens. */
    @Override
    public Optional<String> notReady() {
        SocketModeApp socket;
        Server http;
        synchronized (this) {
            if (closed) return Optional.of("closed");
            socket = socketModeApp;
            http = server;
        }
        if (socket != null) {
            SocketModeClient client = socket.getClient();
            return client != null && client.verifyConnection() ? Optional.empty()
                    : Optional.of("Socket Mode is not connected to Slack (reconnecting)");
        }
        if (http != null) {
            return http.isStarted() ? Optional.empty() : Optional.of("the HTTP endpoint is not listening");
        }
        return Optional.of("not started");
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (socketModeApp != null) {
            // SocketModeApp.close() disconnects but leaves the client's own executors running.
            SocketModeClient client = socketModeApp.getClient();
            try {
                socketModeApp.close();
            } catch (Exception e) {
                log.warn("Closing the Socket Mode connection failed: {}", e.getMessage());
            }
            if (client != null) {
                try {
                    client.close();
                } catch (Exception e) {
                    log.warn("Stopping the Socket Mode client failed: {}", e.getMessage());
                }
            }
        }
        if (envelopes != null) envelopes.close();
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                log.warn("Stopping the HTTP endpoint failed: {}", e.getMessage());
            }
        }
        if (app != null) app.stop();
        handoff.shutdown();
        try {
            slack.close();
        } catch (Exception e) {
            log.debug("Closing the Slack client failed: {}", e.getMessage());
        }
    }

    // ---------------------------------------------------------------- the chat port

    @Override
    public MessageRef post(ChannelRef channel, Message message) {
        BlockKitRenderer.Rendered r = renderer.render(message);
        ChatPostMessageResponse response = api.post("chat.postMessage", Repeat.ONLY_AFTER_RATE_LIMIT, RequestFormBuilder.toForm(ChatPostMessageRequest.builder()
                .channel(channel.id())
                .text(r.text())
                .blocksAsString(blocksJson(r))
                .unfurlLinks(false)
                .unfurlMedia(false).build()), ChatPostMessageResponse.class);
        String channelId = response.getChannel() != null ? response.getChannel() : channel.id();
        return new MessageRef(new ChannelRef(PLATFORM, channelId, channel.direct() || channelId.startsWith("D")),
                response.getTs());
    }

    @Override
    public void update(MessageRef message, Message replacement) {
        BlockKitRenderer.Rendered r = renderer.render(replacement);
        pacer.run(message.channel().id() + "/" + message.id(), () ->
                api.post("chat.update", Repeat.THROUGH_SERVER_ERRORS, RequestFormBuilder.toForm(ChatUpdateRequest.builder()
                        .channel(message.channel().id())
                        .ts(message.id())
                        .text(r.text())
                        .blocksAsString(blocksJson(r)).build()), ChatUpdateResponse.class));
    }

    @Override
    public MessageRef reply(MessageRef parent, Message message) {
        BlockKitRenderer.Rendered r = renderer.render(message);
        ChatPostMessageResponse response = api.post("chat.postMessage", Repeat.ONLY_AFTER_RATE_LIMIT, RequestFormBuilder.toForm(ChatPostMessageRequest.builder()
                .channel(parent.channel().id())
                .threadTs(parent.id())
                .text(r.text())
                .blocksAsString(blocksJson(r))
                .unfurlLinks(false)
                .unfurlMedia(false).build()), ChatPostMessageResponse.class);
        return new MessageRef(parent.channel(), response.getTs());
    }

    /**
     * Answers through the interaction's response URL when there is one (it works even where the bot
     * is not a member), otherwise with {@code chat.postEphemeral}.
     */
    @Override
    public void whisper(Origin origin, Message message) {
        BlockKitRenderer.Rendered r = renderer.render(message);
        String responseUrl = interactions.find(origin.interactionId())
                .map(Interactions.Interaction::responseUrl).orElse(null);
        if (responseUrl != null) {
            // Written straight from the blocks, without a tree of them first.
            String payload = "{\"response_type\":\"ephemeral\",\"replace_original\":false,\"text\":" + gson.toJson(r.text())
                    + ",\"blocks\":" + blocksJson(r) + "}";
            if (api.respond(responseUrl, payload)) return;
            log.info("The response URL refused an answer; posting it as an ephemeral message instead");
        }
        api.post("chat.postEphemeral", Repeat.ONLY_AFTER_RATE_LIMIT, RequestFormBuilder.toForm(ChatPostEphemeralRequest.builder()
                .channel(origin.channel().id())
                .user(origin.user().id())
                .text(r.text())
                .blocksAsString(blocksJson(r)).build()), ChatPostEphemeralResponse.class);
    }

    /**
     * The blocks as JSON, written by the adapter's one Gson: handed a block list, the SDK builds a
     * new Gson for every call, which was the largest single cost of a command under load.
     */
    private String blocksJson(BlockKitRenderer.Rendered r) {
        return gson.toJson(r.blocks());
    }

    /** Uploads in three steps: an upload URL, the bytes to it, then sharing in the parent's thread. */
    @Override
    public void attach(MessageRef parent, String fileName, Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        FilesGetUploadURLExternalResponse upload = api.call("files.getUploadURLExternal", Repeat.THROUGH_SERVER_ERRORS, () ->
                api.methods().filesGetUploadURLExternal(req -> req.filename(fileName).length((int) size)));
        api.upload(upload.getUploadUrl(), file);
        FilesCompleteUploadExternalRequest.FileDetails details = new FilesCompleteUploadExternalRequest.FileDetails();
        details.setId(upload.getFileId());
        details.setTitle(fileName);
        api.call("files.completeUploadExternal", Repeat.THROUGH_SERVER_ERRORS, () -> api.methods().filesCompleteUploadExternal(req -> req
                .files(List.of(details))
                .channelId(parent.channel().id())
                .threadTs(parent.id())));
    }

    @Override
    public void openModal(Origin origin, Modal modal) {
        String triggerId = interactions.find(origin.interactionId())
                .filter(Interactions.Interaction::triggerFresh)
                .map(Interactions.Interaction::triggerId)
                .orElseThrow(() -> new SlackCallException("views.open",
                        "no fresh interaction to open a modal from", null));
        api.call("views.open", Repeat.ONLY_AFTER_RATE_LIMIT, () -> api.methods().viewsOpen(req -> req
                .triggerId(triggerId)
                .view(renderer.modal(modal, origin.channel()))));
    }
}
