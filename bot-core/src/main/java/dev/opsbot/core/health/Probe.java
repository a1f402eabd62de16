package dev.opsbot.core.health;

/** Runs one check once; never throws (a failure to run is a failing result). */
@FunctionalInterface
interface Probe {
    ProbeResult run();
}
