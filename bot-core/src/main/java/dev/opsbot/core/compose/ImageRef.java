package dev.opsbot.core.compose;

import java.util.Objects;

/** An image reference split into repository and tag: {@code 127.0.0.1:5000/demo/backend:sha-abc1234}. */
public record ImageRef(String repository, String tag) {
    public ImageRef {
        Objects.requireNonNull(repository, "repository");
        tag = tag == null || tag.isEmpty() ? "latest" : tag;
    }

    public static ImageRef parse(String ref) {
        String withoutDigest = ref.contains("@") ? ref.substring(0, ref.indexOf('@')) : ref;
        int slash = withoutDigest.lastIndexOf('/');
        int colon = withoutDigest.lastIndexOf(':');
        if (colon > slash) {
            return new ImageRef(withoutDigest.substring(0, colon), withoutDigest.substring(colon + 1));
        }
        return new ImageRef(withoutDigest, "latest");
    }

    public ImageRef withTag(String newTag) {
        return new ImageRef(repository, newTag);
    }

    @Override
    public String toString() {
        return repository + ":" + tag;
    }
}
