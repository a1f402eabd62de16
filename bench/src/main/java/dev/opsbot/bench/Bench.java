package dev.opsbot.bench;

import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.RepoRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The benchmark harness: {@code bench/run}. Prints every figure on its own line and writes docs/performance.md. */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Path repo = RepoRoot.get();
        Options options;
        try {
            options = Options.parse(args, repo);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().equals("help")) System.err.println("bench: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        Map<String, Scenario> scenarios = new LinkedHashMap<>();
        for (Scenario s : List.of(new StartupScenario(), new AckScenario(), new RelayScenario(), new DeployScenario(),
                new AlertScenario(), new ImageScenario(), new FailoverScenario(), new SoakScenario(), new FaultsScenario())) {
            scenarios.put(s.id(), s);
        }
        DockerEngine docker = DockerEngine.connect(System.getenv("DOCKER_HOST"));
        String engine = docker.host().ping();
        Registry.require();
        DemoStack.ensureImages(docker.host());
        Machine machine = Machine.describe(engine);
        Path work = repo.resolve("bench/target/work/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(work);
        Context ctx = new Context(options, work, docker);
        Results results = new Results();
        System.out.println("opsbot benchmarks" + (options.quick() ? " (quick: short settings, figures not published)" : ""));
        System.out.println("machine: " + machine.oneLine());
        System.out.println("load average at start: " + machine.loadAtStart() + "; work folder " + repo.relativize(work));
        long all = System.nanoTime();
        int failures = 0;
        for (String id : Options.KNOWN) {
            if (!options.only().contains(id)) continue;
            Scenario s = scenarios.get(id);
            System.out.println();
            System.out.println("== " + id + ": " + s.title());
            long start = System.nanoTime();
            try {
                s.run(ctx, results);
            } catch (Exception | AssertionError e) {
                failures++;
                System.out.println("          " + id + " failed: " + e);
                e.printStackTrace(System.out);
                results.note(id, "This scenario failed in this run: " + e.getMessage());
            }
            results.seconds.put(id, (System.nanoTime() - start) / 1e9);
            for (Figure f : results.of(id)) System.out.println(f.line());
            if (results.unavailable.containsKey(id)) System.out.println(id + "    not available: " + results.unavailable.get(id));
            System.out.printf(java.util.Locale.ROOT, "          (%s took %.0f s; load average now %s)%n", id, results.seconds.get(id),
                    Machine.loadNow());
        }
        double total = (System.nanoTime() - all) / 1e9;
        System.out.println();
        System.out.println("== summary (" + String.format(java.util.Locale.ROOT, "%.0f", total) + " s)");
        for (Figure f : results.figures) {
            if (f.hasTarget()) System.out.println(f.line());
        }
        results.unavailable.forEach((id, why) -> System.out.println(id + "    not available: " + why));
        if (options.write() && failures == 0) {
            String previous = Files.exists(options.report()) ? Files.readString(options.report()) : "";
            Files.writeString(options.report(), new Report(machine, options, results, total, previous).markdown());
            System.out.println("written: " + repo.relativize(options.report().toAbsolutePath()));
        } else if (options.write()) {
            System.out.println("not written: " + failures + " scenario(s) failed");
        }
        docker.close();
        System.exit(failures == 0 ? 0 : 1);
    }
}
