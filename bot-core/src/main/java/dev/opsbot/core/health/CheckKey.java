package dev.opsbot.core.health;

/** What an alert is about: at most one is open per key. */
record CheckKey(String service, String check) {
    @Override
    public String toString() {
        return service + " " + check;
    }
}
