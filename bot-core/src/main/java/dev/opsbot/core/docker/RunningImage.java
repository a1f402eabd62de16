package dev.opsbot.core.docker;

import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.compose.ImageRef;
import dev.opsbot.core.compose.ServiceSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the compose file names for a service beside what its container runs: the tag and digest
 * a person approving a change must see, and a drift between the two (the service was started from
 * another tag behind the bot's back, or the file was edited and not applied).
 *
 * @param fileImage the image the file names; null for a container of a service the file no longer has
 * @param container the service's container; null when it has none
 */
public record RunningImage(String service, String fileImage, ServiceContainer container) {
    private static final int SHORT_DIGEST = "sha256:".length() + 12;

    /** Each service of the file, then each container of a service the file lacks, by service. */
    public static Map<String, RunningImage> of(ComposeProject project, List<ServiceContainer> containers) {
        Map<String, RunningImage> out = new LinkedHashMap<>();
        for (ServiceSpec spec : project.services().values()) out.put(spec.name(), new RunningImage(spec.name(), spec.image(), null));
        for (ServiceContainer c : containers) {
            if (c.oneOff() || c.service().isEmpty()) continue;
            RunningImage known = out.get(c.service());
            // Of several containers of a service, the running one tells what the service runs.
            if (known == null || known.container() == null || !known.container().running() && c.running()) {
                out.put(c.service(), new RunningImage(c.service(), known == null ? null : known.fileImage(), c));
            }
        }
        return out;
    }

    /** Whether its container runs (a paused or restarting one does not). */
    public boolean running() {
        return container != null && container.running();
    }

    /** The tag the file names, "" when the file lacks the service. */
    public String fileTag() {
        return fileImage == null ? "" : ImageRef.parse(fileImage).tag();
    }

    /** The tag the container was created from; "" when it has none, or the engine reports only an image id. */
    public String runningTag() {
        if (container == null || container.image().startsWith("sha256:")) return "";
        return ImageRef.parse(container.image()).tag();
    }

    /** "sha256:be5fd7a5893e": the registry digest of what runs, else its image id, shortened; "" without a container. */
    public String shortDigest() {
        return container == null ? "" : shortDigest(container);
    }

    /** "sha256:be5fd7a5893e": the registry digest of what the container runs, else its image id, shortened. */
    public static String shortDigest(ServiceContainer c) {
        String full = !c.digest().isEmpty() ? c.digest().substring(c.digest().indexOf('@') + 1) : c.imageId();
        return full.length() > SHORT_DIGEST ? full.substring(0, SHORT_DIGEST) : full;
    }

    /** Whether the container runs another image than the file names (another repository or tag). */
    public boolean drifted() {
        if (container == null || fileImage == null) return container != null;
        if (container.image().startsWith("sha256:")) return true;
        return !ImageRef.parse(container.image()).equals(ImageRef.parse(fileImage));
    }

    /** "file says sha-1a2b3c4, running 0.1.0"; empty without a drift. */
    public String drift() {
        if (!drifted()) return "";
        if (fileImage == null) return "not in the file, running " + runningOrId();
        return "file says " + fileTag() + ", running " + runningOrId();
    }

    /**
     * What runs, for a sentence: "running sha-1a2b3c4 (sha256:be5fd7a5893e)", "file says sha-1a2b3c4,
     * running 0.1.0 (sha256:…)", "not running (exited), created from sha-1a2b3c4 (sha256:…)", "no container".
     */
    public String describe() {
        if (container == null) return "no container";
        String digest = shortDigest().isEmpty() ? "" : " (" + shortDigest() + ")";
        if (running()) return (drifted() ? drift() : "running " + runningOrId()) + digest;
        return "not running (" + container.state() + "), created from " + runningOrId() + digest
                + (drifted() && fileImage != null ? "; file says " + fileTag() : "");
    }

    private String runningOrId() {
        return runningTag().isEmpty() ? "an untagged image" : runningTag();
    }
}
