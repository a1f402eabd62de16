package dev.opsbot.core.docker;

/** One container of a compose project as the engine reports it. */
public record ServiceContainer(String id, String name, String service, String image, String state,
                               String health, String status, boolean oneOff) {

    /** "healthy", "unhealthy", "starting" or "" when the container has no healthcheck. */
    public String health() {
        return health == null ? "" : health;
    }

    public boolean running() {
        return "running".equals(state);
    }
}
