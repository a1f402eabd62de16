package dev.opsbot.app;

import dev.opsbot.app.telemetry.BuildInfo;
import dev.opsbot.app.telemetry.PrometheusTelemetry;
import dev.opsbot.core.docker.DockerException;
import dev.opsbot.core.runbook.RunbookCatalog;
import dev.opsbot.core.runbook.RunbookException;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.store.AuditLog;
import dev.opsbot.core.secrets.Redactor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import dev.opsbot.core.chat.ChatAdapter;
import java.util.Optional;

/** The {@code opsbot} command: console, run, lint, audit verify. */
public final class Main {
    static final String USAGE = """
            usage: opsbot <command>
              console [--as USER]   the bot in this terminal, against the configured Docker host
              run                   the bot on the chat platforms whose variables are set
              lint                  check runbooks and configuration
              audit verify          check that no audit row was altered or removed
            settings: opsbot.yml in the current folder, or --config FILE (see docs/configuration.md)""";

    private final java.io.InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final PrometheusTelemetry telemetry = new PrometheusTelemetry(BuildInfo.read());

    Main(java.io.InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.exit(new Main(System.in, out, System.err, System.getenv()).run(args));
    }

    int run(String[] args) {
        Args a;
        try {
            a = Args.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("opsbot: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            AppConfig config = AppConfig.load(Path.of("").toAbsolutePath(), a.config(), env);
            return switch (a.command()) {
                case "console" -> console(config, a.as());
                case "run" -> runAdapters(config);
                case "lint" -> lint(config);
                case "audit" -> audit(config, a.rest());
                case "help" -> {
                    out.println(USAGE);
                    yield 0;
                }
                default -> {
                    err.println("opsbot: unknown command '" + a.command() + "'");
                    err.println(USAGE);
                    yield 2;
                }
            };
        } catch (AppConfig.ConfigException e) {
            err.println("opsbot: configuration: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("opsbot: " + e.getMessage());
            return 1;
        }
    }

    private int console(AppConfig config, String as) throws Exception {
        String user = as != null ? as : env.getOrDefault("USER", "operator");
        ManagementListener management = null;
        try (BotRuntime rt = new BotRuntime(config, env, Path.of("").toAbsolutePath()); ConsoleAdapter console = new ConsoleAdapter(out)) {
            out.println("opsbot console · " + where(config) + " · you are " + user);
            dockerStatus(rt).forEach(out::println);
            problems(rt).forEach(out::println);
            out.println("Type /ops help. A line starting with @name is typed by that person. End with Ctrl-D.");
            rt.register(console);
            console.start(rt.environments);
            rt.environments.start();
            management = ManagementListener.start(config.management(), rt, List.of(console), telemetry);
            boolean scripted = in != System.in || System.console() == null;
            new ConsoleSession(rt.environments, console, out, user, scripted)
                    .run(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } finally {
            if (management != null) management.close();
        }
        return 0;
    }

    /** "stack demo (data/demo/docker-compose.yml)", or the environments' names. */
    private static String where(AppConfig config) {
        if (config.environments().isEmpty()) return "stack " + config.stackName() + " (" + config.composeFile() + ")";
        return "environments " + String.join(", ", config.environments().stream().map(EnvironmentConfig::name).toList());
    }

    /** One line per environment: its engine's version, or why it cannot be reached (the others run regardless). */
    private List<String> dockerStatus(BotRuntime rt) {
        List<String> lines = new java.util.ArrayList<>();
        boolean several = rt.environments.all().size() > 1;
        for (dev.opsbot.core.env.Environment e : rt.environments.all()) {
            String prefix = several ? e.name() + ": " : "";
            try {
                lines.add(prefix + "Docker " + rt.engines.get(e.name()).ping() + " at " + e.endpoint());
            } catch (DockerException ex) {
                lines.add(prefix + "Docker is not reachable: " + ex.getMessage()
                        + (several ? "" : "\n  To get it on Debian: apt-get install docker.io busybox-static docker-registry; dockerd &"
                        + "\n  then examples/demo/build-images.sh. The console runs anyway; commands that need Docker will say so."));
            }
        }
        return lines;
    }

    private static List<String> problems(BotRuntime rt) {
        return rt.bots().stream().flatMap(b -> b.catalog().problems().stream()).map(p -> "runbook not loaded: " + p.getMessage())
                .distinct().toList();
    }

    private int runAdapters(AppConfig config) throws Exception {
        ChatAdapters available = new ChatAdapters(env, telemetry);
        if (!available.any()) {
            err.println("opsbot: no chat platform is configured: set SLACK_BOT_TOKEN with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET,"
                    + " or DISCORD_TOKEN (docs/slack.md, docs/discord.md). To try the bot in this terminal: ./opsbot console");
            return 2;
        }
        long started = System.nanoTime();
        java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
        List<ChatAdapter> adapters = new java.util.ArrayList<>();
        ManagementListener management = null;
        try (BotRuntime rt = new BotRuntime(config, env, Path.of("").toAbsolutePath())) {
            adapters.addAll(available.configured(rt.bot.catalog(),
                    rt.environments.all().stream().map(dev.opsbot.core.env.Environment::name).toList()));
            dockerStatus(rt).forEach(out::println);
            problems(rt).forEach(out::println);
            for (ChatAdapter adapter : adapters) {
                rt.register(adapter);
                adapter.start(rt.environments);
            }
            rt.environments.start();
            management = ManagementListener.start(config.management(), rt, adapters, telemetry);
            out.println("opsbot ready in " + (System.nanoTime() - started) / 1_000_000 + " ms: "
                    + String.join(", ", adapters.stream().map(ChatAdapter::platform).toList())
                    + " · " + where(config) + " · " + rt.bot.catalog().all().size() + " runbooks");
            java.lang.Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "opsbot-shutdown"));
            stop.await();
        } finally {
            if (management != null) management.close();
            adapters.forEach(ChatAdapter::close);
        }
        return 0;
    }

    private int lint(AppConfig config) {
        RunbookCatalog catalog = new RunbookCatalog(config.runbooks());
        catalog.refresh();
        int problems = 0;
        for (RunbookException e : catalog.problems()) {
            out.println(config.runbooks().resolve(e.file().getFileName()) + ":" + e.line() + ": "
                    + e.getMessage().replaceFirst("^[^:]*:\\d+: ", ""));
            problems++;
        }
        try {
            var project = new dev.opsbot.core.compose.ComposeLoader(env).load(config.composeFile(), config.project());
            out.println("compose file " + config.composeFile() + ": " + project.services().size() + " services ("
                    + String.join(", ", project.services().keySet()) + ")");
        } catch (RuntimeException e) {
            if (!(config.demo() && !java.nio.file.Files.exists(config.composeFile()))) {
                out.println("compose file " + config.composeFile() + ": " + e.getMessage());
                problems++;
            }
        }
        out.println(catalog.all().size() + " runbook(s) valid: " + String.join(", ", catalog.all().keySet())
                + (problems == 0 ? "" : "; " + problems + " problem(s)"));
        return problems == 0 ? 0 : 1;
    }

    private int audit(AppConfig config, java.util.List<String> rest) {
        if (!rest.equals(java.util.List.of("verify"))) {
            err.println("opsbot: usage: opsbot audit verify");
            return 2;
        }
        Map<String, Path> databases = new java.util.LinkedHashMap<>();
        if (config.environments().isEmpty()) databases.put("", config.database());
        for (EnvironmentConfig e : config.environments()) databases.put(e.name() + ": ", e.dataDir(config.dataDir()).resolve("opsbot"));
        int broken = 0;
        for (Map.Entry<String, Path> d : databases.entrySet()) {
            try (Database db = Database.open(d.getValue())) {
                AuditLog log = new AuditLog(db, Redactor.shapesOnly());
                Optional<String> gap = log.verify();
                if (gap.isPresent()) {
                    out.println(d.getKey() + "audit trail broken: " + gap.get());
                    broken++;
                } else {
                    out.println(d.getKey() + "audit trail intact: " + log.recent(Integer.MAX_VALUE).size() + " rows");
                }
            }
        }
        return broken == 0 ? 0 : 1;
    }

    /** The command line: a command, its words, and the options every command shares. */
    record Args(String command, java.util.List<String> rest, Path config, String as) {
        static Args parse(String[] args) {
            String command = null;
            Path config = null;
            String as = null;
            java.util.List<String> rest = new java.util.ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--config" -> config = Path.of(value(args, ++i, "--config"));
                    case "--as" -> as = value(args, ++i, "--as");
                    case "-h", "--help" -> command = "help";
                    default -> {
                        if (args[i].startsWith("--")) throw new IllegalArgumentException("unknown option " + args[i]);
                        if (command == null) command = args[i]; else rest.add(args[i]);
                    }
                }
            }
            if (config == null) config = Path.of("opsbot.yml");
            return new Args(command == null ? "help" : command, rest, config, as);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
            return args[i];
        }
    }
}
