package dev.opsbot.core.replica;

/**
 * Something only one replica may do at a time (watch the stack's health, expire buttons, report
 * interrupted runs): started when this replica becomes the leader, stopped when it stops being one.
 * Both return quickly; {@code stop} leaves nothing running that could act afterwards.
 */
public interface Duty {
    String name();

    void start();

    void stop();

    /** A duty from two callbacks. */
    static Duty of(String name, Runnable start, Runnable stop) {
        return new Duty() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void start() {
                start.run();
            }

            @Override
            public void stop() {
                stop.run();
            }
        };
    }
}
