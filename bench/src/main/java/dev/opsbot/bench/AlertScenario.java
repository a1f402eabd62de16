package dev.opsbot.bench;

final class AlertScenario implements Scenario {
    @Override
    public String id() {
        return "alerts";
    }

    @Override
    public String title() {
        return "alerts";
    }

    @Override
    public void run(Context ctx, Results results) {
        results.unavailable.put(id(), "not written yet");
    }
}
