package dev.opsbot.bench;

final class Report {
    private final Machine machine;
    private final Options options;
    private final Results results;
    private final double seconds;

    Report(Machine machine, Options options, Results results, double seconds) {
        this.machine = machine;
        this.options = options;
        this.results = results;
        this.seconds = seconds;
    }

    String markdown() {
        return "";
    }
}
