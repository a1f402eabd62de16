package dev.opsbot.core.dockerjava;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The engine's words for a registry it cannot reach, as a person reads them in the channel (texts from Docker Engine 20.10). */
class RegistryFailureTest {

    @Test
    void theWaysARegistryCannotBeReachedAreSaidPlainly() {
        assertEquals(Optional.of("the registry reg.example:5000 cannot be reached (connection refused)"), RegistryFailure.unreachable("reg.example:5000",
                "Get \"http://reg.example:5000/v2/\": dial tcp 10.0.0.7:5000: connect: connection refused"));
        assertEquals(Optional.of("the registry nowhere.example cannot be reached (unknown host)"), RegistryFailure.unreachable("nowhere.example",
                "Get \"https://nowhere.example/v2/\": dial tcp: lookup nowhere.example on 127.0.0.11:53: no such host"));
        assertEquals(Optional.of("the registry 10.9.9.9:5000 cannot be reached (no answer in time)"), RegistryFailure.unreachable("10.9.9.9:5000",
                "Get \"https://10.9.9.9:5000/v2/\": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)"));
    }

    @Test
    void anAnswerFromTheRegistryIsLeftInTheEnginesWords() {
        assertEquals(Optional.empty(), RegistryFailure.unreachable("127.0.0.1:5000",
                "manifest for 127.0.0.1:5000/opsbot-demo/backend:sha-0000000 not found: manifest unknown: manifest unknown"));
    }

    @Test
    void theRegistryOfAnImageIsItsFirstPartWhenThatIsAHost() {
        assertEquals("127.0.0.1:5000", RegistryFailure.registryOf("127.0.0.1:5000/opsbot-demo/backend"));
        assertEquals("ghcr.io", RegistryFailure.registryOf("ghcr.io/acme/api"));
        assertEquals("localhost", RegistryFailure.registryOf("localhost/api"));
        assertEquals("docker.io", RegistryFailure.registryOf("library/nginx"));
        assertEquals("docker.io", RegistryFailure.registryOf("nginx"));
    }
}
