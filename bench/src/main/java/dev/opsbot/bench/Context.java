package dev.opsbot.bench;

import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.dockerjava.DockerEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What every scenario gets: the settings, a folder of its own, and the Docker engine. */
record Context(Options options, Path work, DockerEngine engine) {

    DockerHost docker() {
        return engine.host();
    }

    /** A fresh folder under the run's work folder. */
    Path folder(String name) throws IOException {
        Path p = work.resolve(name);
        int n = 1;
        while (Files.exists(p)) p = work.resolve(name + "-" + ++n);
        return Files.createDirectories(p);
    }

    void say(String text) {
        System.out.println("          " + text);
        System.out.flush();
    }
}
