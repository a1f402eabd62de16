package dev.opsbot.core.swarm;

/**
 * The labels {@code docker stack deploy} puts on what it creates, and the bot's own. Services and
 * jobs the bot creates carry them too, so {@code docker stack ps} and {@code docker service ls}
 * show them as part of the stack, and a later {@code docker stack deploy} sees the image it expects.
 */
public final class StackLabels {
    /** On services, their containers, networks and volumes: the stack's name. */
    public static final String NAMESPACE = "com.docker.stack.namespace";
    /** On services: the image as the stack file names it (no digest); stack deploy compares it to decide on updates. */
    public static final String IMAGE = "com.docker.stack.image";
    public static final String MANAGED_BY = "dev.opsbot.managed-by";
    /** On job services the bot runs: the stack service whose image and settings the job borrowed. */
    public static final String JOB_OF = "dev.opsbot.job-of";

    private StackLabels() {
    }

    /** {@code shop_backend}: how stack deploy names a stack's service. */
    public static String fullName(String stack, String service) {
        return stack + "_" + service;
    }

    /** {@code backend} of {@code shop_backend}: the service's name within its stack. */
    public static String shortName(String stack, String fullName) {
        String prefix = stack + "_";
        return fullName.startsWith(prefix) ? fullName.substring(prefix.length()) : fullName;
    }
}
