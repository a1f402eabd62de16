package dev.opsbot.core.engine;

/** The engine closed while the step at {@code index} ran: nothing more is recorded of the run. */
final class CutOff extends RuntimeException {
    private final int index;

    CutOff(int index) {
        super(null, null, false, false);
        this.index = index;
    }

    int index() {
        return index;
    }
}
