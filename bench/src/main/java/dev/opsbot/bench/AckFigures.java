package dev.opsbot.bench;

/** The figures of the command load for one bot and path at one rate. */
record AckFigures(Figure ackP50, Figure ackP99, Figure errors, Figure answerP99, Figure answered, Figure busy,
                  Figure botCpu, Figure dockerCpu) {

    static AckFigures of(Results results, String scenario, String name, int rate, boolean targets) {
        String r = " at " + rate + " req/s";
        boolean base = rate == 50 && targets;
        return new AckFigures(
                results.figure(scenario, name + ": ack p50" + r, "ms"),
                rate == 200 && targets ? results.figure(scenario, name + ": ack p99" + r, "ms", "< 25 ms", v -> v < 25)
                        : results.figure(scenario, name + ": ack p99" + r, "ms"),
                targets ? results.figure(scenario, name + ": errors" + r + " (failed or over 3 s)", "", "0", v -> v == 0)
                        : results.figure(scenario, name + ": errors" + r + " (failed or over 3 s)", ""),
                base ? results.figure(scenario, name + ": answer p99" + r + " (command to answer in chat)", "ms", "< 500 ms", v -> v < 500)
                        : results.figure(scenario, name + ": answer p99" + r + " (command to answer in chat)", "ms"),
                base ? results.figure(scenario, name + ": answered" + r, "%", "100 %", v -> v == 100)
                        : results.figure(scenario, name + ": answered" + r, "%"),
                results.figure(scenario, name + ": answered busy" + r, "%"),
                base ? results.figure(scenario, name + ": bot CPU per answered command" + r, "ms", "≤ 3 ms", v -> v <= 3)
                        : results.figure(scenario, name + ": bot CPU per answered command" + r, "ms"),
                results.figure(scenario, name + ": Docker CPU per command" + r, "ms"));
    }
}
