package dev.opsbot.core.docker;

/**
 * One container of a compose project as the engine reports it. {@code image} is the reference it
 * was created from ("…/backend:0.1.0"); {@code imageId} the image it runs ("sha256:…"), and
 * {@code digest} that image's registry digest ("…/backend@sha256:…"), empty when it never came
 * from or went to a registry: tags move, these do not.
 */
public record ServiceContainer(String id, String name, String service, String image, String state,
                               String health, String status, boolean oneOff, String imageId, String digest) {

    public ServiceContainer {
        imageId = imageId == null ? "" : imageId;
        digest = digest == null ? "" : digest;
    }

    /** Without what the image is beyond its reference. */
    public ServiceContainer(String id, String name, String service, String image, String state, String health, String status,
                            boolean oneOff) {
        this(id, name, service, image, state, health, status, oneOff, "", "");
    }

    /** "healthy", "unhealthy", "starting" or "" when the container has no healthcheck. */
    public String health() {
        return health == null ? "" : health;
    }

    public boolean running() {
        return "running".equals(state);
    }
}
