package dev.opsbot.slack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URL;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Slack's SDK was built against okhttp 4 and the Discord library needs okhttp 5: one okhttp, 5.x, only. */
@Timeout(10)
class OkHttpClasspathTest {

    @Test
    void exactlyOneOkHttpClientOnTheClasspath() throws Exception {
        List<URL> found = Collections.list(getClass().getClassLoader().getResources("okhttp3/OkHttpClient.class"));

        assertEquals(1, found.size(), "okhttp3.OkHttpClient found in: " + found);
        assertEquals(true, found.get(0).toString().contains("okhttp-jvm-5."), "from okhttp-jvm 5.x: " + found);
    }
}
