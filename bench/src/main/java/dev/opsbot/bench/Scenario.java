package dev.opsbot.bench;

/** One measurement of the harness. */
interface Scenario {
    /** The short name used on the command line and in front of every printed figure. */
    String id();

    /** What it measures, one sentence, for the report. */
    String title();

    void run(Context ctx, Results results) throws Exception;
}
