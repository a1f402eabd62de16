package dev.opsbot.discord;

import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.ChatAdapter;
import dev.opsbot.core.chat.ChatInbox;
import dev.opsbot.core.chat.ChatLimits;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.ModalPort;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.telemetry.Telemetry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.entities.channel.attribute.IThreadContainer;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.events.session.ShutdownEvent;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.hooks.EventListener;
import net.dv8tion.jda.api.interactions.InteractionContextType;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.requests.ErrorResponse;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestAction;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.FileUpload;
import net.dv8tion.jda.api.utils.SessionControllerAdapter;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import net.dv8tion.jda.api.utils.messages.MessageEditData;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Discord side of the chat port, through JDA: {@code /ops} as a slash command with one
 * subcommand per verb, the core's messages as embeds with buttons, private answers through
 * interactions' tokens, forms as modals.
 *
 * <p>Only the {@code GUILDS} gateway intent is used (servers, channels and roles for JDA's
 * cache; JDA always asks for it); commands arrive as interactions, so no privileged intent
 * is needed. The port's methods block until Discord has answered (JDA queues and retries
 * rate-limited requests) and are meant for the core's threads, never JDA's.
 */
public final class DiscordAdapter implements ChatAdapter, ModalPort {
    /** None beyond GUILDS, which JDA always asks for. */
    static final EnumSet<GatewayIntent> INTENTS = EnumSet.noneOf(GatewayIntent.class);
    /**
     * What the bot needs in the channels it works in, and so what its invite asks for: see the
     * channel, send messages with embeds and files, read the history (to reply to its own
     * messages and name threads after them), start threads under its messages and write in them.
     */
    public static final Set<Permission> PERMISSIONS = Collections.unmodifiableSet(EnumSet.of(
            Permission.VIEW_CHANNEL, Permission.MESSAGE_SEND, Permission.MESSAGE_EMBED_LINKS,
            Permission.MESSAGE_ATTACH_FILES, Permission.MESSAGE_HISTORY, Permission.CREATE_PUBLIC_THREADS,
            Permission.MESSAGE_SEND_IN_THREADS));
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ACK_WAIT = Duration.ofSeconds(10);
    private static final int THREAD_NAME = 100;
    private static final int MAX_CONCURRENT_CALLS = 64;
    private static final Logger LOG = LoggerFactory.getLogger(DiscordAdapter.class);

    private final DiscordSettings settings;
    private final Telemetry telemetry;
    private final SlashCommands commands;
    private final MessageRenderer renderer = new MessageRenderer();
    private final Interactions interactions = new Interactions();
    private final Object threadLock = new Object();
    private volatile JDA jda;
    private volatile InteractionEndpoints endpoints;

    /**
     * @param commands the commands to offer as subcommands, as the core's menu lists them
     *                 (built-ins, runbooks, an {@code env} choice); {@code run} is always added
     */
    public DiscordAdapter(DiscordSettings settings, List<CommandSpec> commands) {
        this(settings, commands, Telemetry.NONE);
    }

    /** @param telemetry counts REST calls and rate-limit waits, and times acknowledgements */
    public DiscordAdapter(DiscordSettings settings, List<CommandSpec> commands, Telemetry telemetry) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        if (!settings.enabled()) throw new IllegalArgumentException("DISCORD_TOKEN is not set");
        this.commands = new SlashCommands(commands);
    }

    @Override
    public String platform() {
        return InteractionListener.PLATFORM;
    }

    @Override
    public ChatLimits limits() {
        return MessageRenderer.LIMITS;
    }

    /** Logs in, waits for the gateway's READY and registers {@code /ops}; returns once connected. */
    @Override
    public void start(ChatInbox inbox) throws Exception {
        Objects.requireNonNull(inbox, "inbox");
        if (jda != null) throw new IllegalStateException("already started");
        CompletableFuture<Void> ready = new CompletableFuture<>();
        String gateway = settings.gatewayUrl();
        // JDA records where each request was made (an exception with its stack, for every REST call); the
        // adapter's calls block until answered or handle their failures by kind, so that cost buys nothing.
        RestAction.setPassContext(false);
        RestConfig rest = new RestConfig().setBaseUrl(settings.restBaseUrl());
        OkHttpClient http = httpClient();
        InteractionEndpoints endpoints = new InteractionEndpoints(http, rest.getBaseUrl(), rest.getUserAgent());
        this.endpoints = endpoints;
        JDA client = JDABuilder.createLight(settings.token(), INTENTS)
                .setRestConfig(rest)
                // One shard: JDA takes the gateway address from here rather than asking REST.
                .setSessionController(new SessionControllerAdapter() {
                    @Override
                    public String getGateway() {
                        return gateway;
                    }
                })
                .setCompression(Compression.NONE)
                .setHttpClient(http)
                // Callbacks (the acknowledgement's hand-over, a waiting port call's wake-up) run where the answer arrived.
                .setCallbackPool(new CallerThreadExecutor(), false)
                .addEventListeners(new InteractionListener(inbox, commands, interactions, endpoints, telemetry))
                .addEventListeners((EventListener) event -> {
                    if (event instanceof ReadyEvent) ready.complete(null);
                    if (event instanceof ShutdownEvent s) {
                        ready.completeExceptionally(new IllegalStateException("Discord closed the connection: "
                                + s.getCloseCode()));
                    }
                })
                .build();
        try {
            ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            // Commands may arrive as soon as the gateway is ready: the port must work by then.
            jda = client;
            registerCommands(client);
        } catch (TimeoutException e) {
            jda = null;
            client.shutdownNow();
            endpoints.close();
            throw new IllegalStateException("Discord's gateway did not become ready within " + READY_TIMEOUT, e);
        } catch (Exception e) {
            jda = null;
            client.shutdownNow();
            endpoints.close();
            throw e;
        }
        LOG.info("Connected to Discord as {}; invite it with {}", client.getSelfUser().getName(),
                inviteUrl(client.getSelfUser().getApplicationId()));
    }

    /**
     * JDA's HTTP client, shared with the adapter's own interaction calls. Initial responses are
     * sent asynchronously (okhttp's dispatcher), and okhttp's default of five at a time to one
     * host would queue them behind each other at a few dozen commands a second.
     */
    private OkHttpClient httpClient() {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(MAX_CONCURRENT_CALLS);
        dispatcher.setMaxRequestsPerHost(MAX_CONCURRENT_CALLS);
        return new OkHttpClient.Builder().dispatcher(dispatcher).addInterceptor(new DiscordCallMeter(telemetry)).build();
    }

    private void registerCommands(JDA client) {
        SlashCommandData ops = commands.data();
        for (String guildId : settings.guildIds()) {
            Guild guild = client.getGuildById(guildId);
            if (guild == null) {
                LOG.warn("The bot is not in server {}: /{} is not registered there (invite it first)", guildId,
                        SlashCommands.NAME);
                continue;
            }
            guild.updateCommands().addCommands(ops).complete();
            LOG.info("/{} registered in server {}", SlashCommands.NAME, guild.getName());
        }
        if (settings.registerGlobally()) {
            client.updateCommands().addCommands(commands.data()
                    .setContexts(InteractionContextType.GUILD, InteractionContextType.BOT_DM)).complete();
            LOG.info("/{} registered globally", SlashCommands.NAME);
        }
    }

    /** The address that adds the bot to a server with {@link #PERMISSIONS} and the {@code /ops} command. */
    public static String inviteUrl(String applicationId) {
        return "https://discord.com/oauth2/authorize?client_id=" + applicationId
                + "&scope=bot+applications.commands&permissions=" + Permission.getRaw(PERMISSIONS);
    }

    @Override
    public MessageRef post(ChannelRef channel, Message message) {
        String id = channel(channel).sendMessage(renderer.create(message)).complete().getId();
        return new MessageRef(channel, id);
    }

    @Override
    public void update(MessageRef message, Message replacement) {
        channel(message.channel()).editMessageById(message.id(), renderer.edit(replacement)).complete();
    }

    /**
     * In a server channel: in the thread started from {@code parent} (created on the first reply,
     * named after the parent's title). In a thread: in that thread. In a direct conversation: as
     * a reply just after the parent.
     */
    @Override
    public MessageRef reply(MessageRef parent, Message message) {
        MessageChannel channel = channel(parent.channel());
        MessageCreateData data = renderer.create(message);
        if (channel instanceof IThreadContainer container && !parent.channel().direct()) {
            ThreadChannel thread = threadUnder(container, channel, parent);
            if (thread != null) {
                String id = thread.sendMessage(data).complete().getId();
                return new MessageRef(new ChannelRef(platform(), thread.getId(), false), id);
            }
        }
        String id = channel.sendMessage(data).setMessageReference(parent.id()).complete().getId();
        return new MessageRef(parent.channel(), id);
    }

    /**
     * Posts the file as a reply to {@code parent}, in its channel (a thread, when it is a reply);
     * gzipped when larger than Discord accepts.
     */
    @Override
    public void attach(MessageRef parent, String fileName, Path file) {
        MessageChannel channel = channel(parent.channel());
        try {
            if (Files.size(file) <= net.dv8tion.jda.api.entities.Message.MAX_FILE_SIZE) {
                channel.sendFiles(FileUpload.fromData(file, fileName)).setMessageReference(parent.id()).complete();
                return;
            }
            Path gz = Files.createTempFile("opsbot-log", ".gz");
            try {
                try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
                    Files.copy(file, out);
                }
                channel.sendFiles(FileUpload.fromData(gz, fileName + ".gz")).setMessageReference(parent.id()).complete();
            } finally {
                Files.deleteIfExists(gz);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Ephemeral, through the interaction's token: the first whisper replaces the command's
     * receipt, later ones follow it. When the token is gone (older than 15 minutes, or no
     * interaction behind the origin) a normal message in the channel names the person.
     */
    @Override
    public void whisper(Origin origin, Message message) {
        if (answerPrivately(origin, () -> renderer.create(message), () -> renderer.edit(message))) return;
        fallback(origin, renderer.create(message));
    }

    /**
     * Discord shows a modal only as the first answer to an interaction, and every interaction
     * is acknowledged on arrival; so the person gets a private "Open form" button whose press
     * (a fresh interaction) opens the modal. The values arrive as {@link ChatInbox#onModalSubmit}.
     */
    @Override
    public void openModal(Origin origin, Modal modal) {
        Objects.requireNonNull(modal, "modal");
        String customId = interactions.rememberForm(modal);
        MessageCreateData prompt = new MessageCreateBuilder()
                .setContent("**" + MessageRenderer.clip(modal.title(), 200) + "**\nWhat you type in the form is not shown in the channel.")
                .setComponents(ActionRow.of(Button.primary(customId, "Open form")))
                .build();
        if (answerPrivately(origin, () -> prompt, () -> MessageEditData.fromCreateData(prompt))) return;
        fallback(origin, prompt);
    }

    /** Connected while the gateway session is (JDA reconnects by itself after a drop). */
    @Override
    public Optional<String> notReady() {
        JDA client = jda;
        if (client == null) return Optional.of("not connected");
        JDA.Status status = client.getStatus();
        return status == JDA.Status.CONNECTED ? Optional.empty()
                : Optional.of("the gateway connection is " + status.name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }

    @Override
    public void close() {
        JDA client = jda;
        jda = null;
        if (client == null) return;
        client.shutdown();
        try {
            if (!client.awaitShutdown(Duration.ofSeconds(5))) client.shutdownNow();
        } catch (InterruptedException e) {
            client.shutdownNow();
            Thread.currentThread().interrupt();
        }
        endpoints.close();
    }

    /** Answers through the interaction's token, rendered as the answer it is; false when it cannot be used (any more). */
    private boolean answerPrivately(Origin origin, Supplier<MessageCreateData> create, Supplier<MessageEditData> asEdit) {
        Interactions.Reply reply = interactions.reply(origin.interactionId());
        if (reply == null) return false;
        try {
            reply.acknowledged().get(ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (reply.claimOriginal()) {
                endpoints.editOriginal(reply.applicationId(), reply.token(), asEdit.get());
            } else {
                endpoints.followUp(reply.applicationId(), reply.token(), create.get());
            }
            return true;
        } catch (ExecutionException | TimeoutException | InteractionEndpoints.Refused e) {
            LOG.info("Interaction {} cannot be answered privately any more ({}): answering in the channel",
                    origin.interactionId(), e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void fallback(Origin origin, MessageCreateData data) {
        MessageCreateData named = MessageCreateBuilder.from(data)
                .setContent(("<@" + origin.user().id() + "> " + data.getContent()).strip())
                .build();
        channel(origin.channel()).sendMessage(named).complete();
    }

    /** The thread under {@code parent}, started now if there is none; null where one cannot be had. */
    private ThreadChannel threadUnder(IThreadContainer container, MessageChannel channel, MessageRef parent) {
        synchronized (threadLock) {
            ThreadChannel thread = client().getThreadChannelById(parent.id());
            if (thread != null) return thread;
            try {
                return container.createThreadChannel(threadName(channel, parent.id()), parent.id()).complete();
            } catch (ErrorResponseException e) {
                if (e.getErrorResponse() != ErrorResponse.THREAD_WITH_THIS_MESSAGE_ALREADY_EXISTS) throw e;
                // An archived thread JDA no longer caches: answer beside the parent instead.
                LOG.info("The thread under message {} is archived: replying in the channel", parent.id());
                return null;
            }
        }
    }

    private static String threadName(MessageChannel channel, String messageId) {
        net.dv8tion.jda.api.entities.Message parent = channel.retrieveMessageById(messageId).complete();
        String title = parent.getEmbeds().stream().map(MessageEmbed::getTitle).filter(Objects::nonNull)
                .findFirst().orElse(parent.getContentDisplay());
        return MessageRenderer.clip(title.isBlank() ? "opsbot" : title, THREAD_NAME);
    }

    private MessageChannel channel(ChannelRef ref) {
        if (!ref.platform().equals(platform())) {
            throw new IllegalArgumentException("not a Discord channel: " + ref);
        }
        JDA client = client();
        MessageChannel channel = client.getChannelById(MessageChannel.class, ref.id());
        if (channel != null) return channel;
        String user = interactions.directUser(ref.id());
        if (user != null) return client.openPrivateChannelById(user).complete();
        throw new IllegalArgumentException("Discord channel " + ref.id() + " is unknown: the bot cannot see it");
    }

    private JDA client() {
        JDA client = jda;
        if (client == null) throw new IllegalStateException("the Discord adapter is not started");
        return client;
    }
}
