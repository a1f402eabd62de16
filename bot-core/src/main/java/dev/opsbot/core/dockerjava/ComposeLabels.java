package dev.opsbot.core.dockerjava;

import dev.opsbot.core.compose.ComposeProject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels Docker Compose puts on what it creates. Containers, networks and volumes made by
 * the bot carry the same ones, so {@code docker compose ps} lists them and a later
 * {@code docker compose up} adopts them instead of creating duplicates.
 */
final class ComposeLabels {
    static final String PROJECT = "com.docker.compose.project";
    static final String SERVICE = "com.docker.compose.service";
    static final String ONEOFF = "com.docker.compose.oneoff";
    static final String NUMBER = "com.docker.compose.container-number";
    static final String CONFIG_HASH = "com.docker.compose.config-hash";
    static final String CONFIG_FILES = "com.docker.compose.project.config_files";
    static final String WORKING_DIR = "com.docker.compose.project.working_dir";
    static final String VERSION = "com.docker.compose.version";
    static final String NETWORK = "com.docker.compose.network";
    static final String VOLUME = "com.docker.compose.volume";
    static final String MANAGED_BY = "dev.opsbot.managed-by";
    /** The Compose version we present ourselves as; both Compose 1.29 and 2.x accept it. */
    static final String COMPOSE_VERSION = "1.29.2";

    private ComposeLabels() {
    }

    static Map<String, String> container(ComposeProject project, String service, boolean oneOff, String configHash) {
        Map<String, String> labels = new LinkedHashMap<>(project.require(service).labels());
        labels.put(PROJECT, project.name());
        labels.put(SERVICE, service);
        labels.put(ONEOFF, oneOff ? "True" : "False");
        labels.put(NUMBER, "1");
        labels.put(CONFIG_HASH, configHash);
        labels.put(CONFIG_FILES, project.file().toString());
        labels.put(WORKING_DIR, project.directory().toString());
        labels.put(VERSION, COMPOSE_VERSION);
        labels.put(MANAGED_BY, "opsbot");
        return labels;
    }

    static Map<String, String> network(ComposeProject project, String key) {
        return Map.of(PROJECT, project.name(), NETWORK, key, VERSION, COMPOSE_VERSION, MANAGED_BY, "opsbot");
    }

    static Map<String, String> volume(ComposeProject project, String key) {
        return Map.of(PROJECT, project.name(), VOLUME, key, VERSION, COMPOSE_VERSION, MANAGED_BY, "opsbot");
    }
}
