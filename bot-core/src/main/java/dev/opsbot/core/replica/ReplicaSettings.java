package dev.opsbot.core.replica;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Who this process is among the bot's replicas, and how long a lease on what must happen once
 * lasts. Every other interval follows from the lease's length ({@link Leadership} says why):
 * renewed every third of it, duties stopped when two thirds passed without a renewal, a run whose
 * heartbeat is a whole lease old counted as abandoned.
 *
 * @param id       unique among the processes running at one time; by default host, process id and a few random letters
 * @param leaseTtl how long a lease lasts after its last renewal (15 s by default, at least 1 s)
 */
public record ReplicaSettings(String id, Duration leaseTtl) {
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(15);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}");
    private static final String LETTERS = "abcdefghijkmnpqrstuvwxyz23456789";

    public ReplicaSettings {
        id = id == null || id.isBlank() ? newId() : id.strip();
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a replica id is up to 100 letters, digits and . _ : @ -, starting with a letter or digit, not '"
                    + id + "'");
        }
        leaseTtl = leaseTtl == null ? DEFAULT_TTL : leaseTtl;
        if (leaseTtl.compareTo(Duration.ofSeconds(1)) < 0) throw new IllegalArgumentException("a lease lasts at least 1 s, not " + leaseTtl);
    }

    /** A new id and the default lease. */
    public static ReplicaSettings defaults() {
        return new ReplicaSettings(null, null);
    }

    /** How often the leader renews its lease, and a follower tries to take it. */
    public Duration renewEvery() {
        return leaseTtl.dividedBy(3);
    }

    /** A leader that has not renewed for this long, by its own clock, stops its duties: a third of the lease before it can expire. */
    public Duration stepDownAfter() {
        return leaseTtl.minus(leaseTtl.dividedBy(3));
    }

    /** How often a replica says it still runs its runs, and hears of cancels asked elsewhere. */
    public Duration heartbeatEvery() {
        Duration fifth = leaseTtl.dividedBy(5);
        return fifth.compareTo(Duration.ofSeconds(1)) < 0 ? fifth : Duration.ofSeconds(1);
    }

    /** A run whose heartbeat is this old by the database's clock is abandoned: its replica is gone. */
    public Duration staleAfter() {
        return leaseTtl;
    }

    /** host-pid-xxxx: readable in logs and /readyz, and never the same for two processes. */
    static String newId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "opsbot";
            }
        }
        host = host.replaceAll("[^A-Za-z0-9.-]", "-");
        if (host.length() > 60) host = host.substring(0, 60);
        SecureRandom random = new SecureRandom();
        StringBuilder tail = new StringBuilder();
        for (int i = 0; i < 4; i++) tail.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
        return host + "-" + ProcessHandle.current().pid() + "-" + tail;
    }
}
