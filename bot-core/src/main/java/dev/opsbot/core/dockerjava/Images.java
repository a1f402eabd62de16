package dev.opsbot.core.dockerjava;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.PullResponseItem;
import dev.opsbot.core.compose.ImageRef;
import dev.opsbot.core.docker.DockerException;
import dev.opsbot.core.docker.DockerUnavailableException;
import dev.opsbot.core.stream.OutputSink;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Images on the engine: whether one is there, pulling with progress, removing the stack's dangling ones. */
final class Images {
    private final DockerClient docker;
    private final EngineCalls calls;

    Images(DockerClient docker, EngineCalls calls) {
        this.docker = docker;
        this.calls = calls;
    }

    boolean exists(String image) {
        return id(image).isPresent();
    }

    /** The image's id on this engine, if it has it. */
    Optional<String> id(String image) {
        return calls.find("inspect image " + image, () -> docker.inspectImageCmd(image).exec().getId());
    }

    void pull(String image, OutputSink out, Duration timeout) {
        ImageRef ref = ImageRef.parse(image);
        out.line("pulling " + ref);
        Progress progress;
        try {
            progress = calls.stream("pull " + ref, new Progress(out),
                    p -> docker.pullImageCmd(ref.repository()).withTag(ref.tag()).exec(p), timeout);
        } catch (DockerUnavailableException e) {
            throw e;
        } catch (DockerException e) {
            throw pullFailed(ref, e.getMessage().replaceFirst("^cannot pull \\S+: ", ""), e);
        }
        if (progress.error.length() > 0) throw pullFailed(ref, progress.error.toString(), null);
        if (!exists(ref.toString())) throw new DockerException("cannot pull " + ref + ": the registry did not provide it");
    }

    /** "cannot pull reg:5000/app:v2: the registry reg:5000 cannot be reached (connection refused). The engine said: …" */
    private static DockerException pullFailed(ImageRef ref, String engineText, Throwable cause) {
        String registry = RegistryFailure.registryOf(ref.repository());
        return RegistryFailure.unreachable(registry, engineText)
                .map(words -> new DockerException("cannot pull " + ref + ": " + words + ". The engine said: " + engineText, cause))
                .orElseGet(() -> new DockerException("cannot pull " + ref + ": " + engineText, cause));
    }

    /** Removes dangling images that came from the given repositories; returns how many. */
    int pruneDangling(Collection<String> repositories, OutputSink out) {
        // Only images that came from the stack's own repositories: a blanket prune would touch other projects.
        List<Image> dangling = calls.call("list dangling images", () -> docker.listImagesCmd().withDanglingFilter(true).exec());
        int removed = 0;
        for (Image image : dangling) {
            if (!fromOneOf(image, repositories)) continue;
            String shortId = image.getId().replace("sha256:", "").substring(0, 12);
            // An image still used by a container, or removed meanwhile, stays out of the count.
            if (calls.attempt("remove image " + shortId, () -> docker.removeImageCmd(image.getId()).exec(),
                    ConflictException.class, NotFoundException.class)) {
                out.line("removed dangling image " + shortId);
                removed++;
            }
        }
        out.line(removed == 0 ? "no dangling images to remove" : removed + " dangling image(s) removed");
        return removed;
    }

    private static boolean fromOneOf(Image image, Collection<String> repositories) {
        String[] digests = image.getRepoDigests();
        if (digests == null) return false;
        for (String d : digests) {
            int at = d.indexOf('@');
            if (at > 0 && repositories.contains(d.substring(0, at))) return true;
        }
        return false;
    }

    /** Pull progress as lines: each layer's state changes once, not every progress tick. */
    private static final class Progress extends ResultCallback.Adapter<PullResponseItem> {
        private final OutputSink out;
        private final Map<String, String> lastStatus = new LinkedHashMap<>();
        private final StringBuilder error = new StringBuilder();

        Progress(OutputSink out) {
            this.out = out;
        }

        @Override
        public void onNext(PullResponseItem item) {
            if (item.getErrorDetail() != null || item.getError() != null) {
                error.append(item.getErrorDetail() != null ? item.getErrorDetail().getMessage() : item.getError());
                return;
            }
            String status = item.getStatus();
            if (status == null) return;
            String id = item.getId() == null ? "" : item.getId();
            // Progress ticks ("Downloading 3MB/12MB") would flood the channel: report each state change once.
            if (status.equals(lastStatus.put(id, status))) return;
            out.line((id.isEmpty() ? "" : id + ": ") + status);
        }
    }
}
