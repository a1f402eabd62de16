package dev.opsbot.core.dockerjava;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Where the bot reaches a port an engine published: on the engine's machine. */
class PublishedHostTest {
    @Test
    void aLocalSocketMeansThisMachine() {
        assertEquals("127.0.0.1", DockerJavaHost.publishedHost("unix:///var/run/docker.sock"));
    }

    @Test
    void anEngineOverTcpPublishesOnItsOwnHost() {
        assertEquals("10.0.4.7", DockerJavaHost.publishedHost("tcp://10.0.4.7:2376"));
        assertEquals("prod-docker.internal", DockerJavaHost.publishedHost("tcp://prod-docker.internal:2376"));
        assertEquals("[fd00::7]", DockerJavaHost.publishedHost("tcp://[fd00::7]:2376"));
        assertEquals("127.0.0.1", DockerJavaHost.publishedHost("tcp://127.0.0.1:2375"));
    }

    @Test
    void aWildcardOrMissingHostFallsBackToThisMachine() {
        assertEquals("127.0.0.1", DockerJavaHost.publishedHost("tcp://0.0.0.0:2375"));
        assertEquals("127.0.0.1", DockerJavaHost.publishedHost(null));
    }
}
