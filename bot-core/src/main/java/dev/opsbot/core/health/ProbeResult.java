package dev.opsbot.core.health;

/** What one run of a probe found. */
record ProbeResult(boolean ok, String output) {
    static ProbeResult pass(String output) {
        return new ProbeResult(true, output);
    }

    static ProbeResult fail(String output) {
        return new ProbeResult(false, output);
    }
}
