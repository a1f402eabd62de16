package dev.opsbot.core.compose;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Changes the tag of services' images in a compose file by editing only the characters of each
 * {@code image:} value, so comments, order and formatting stay byte for byte as they were.
 * The file is replaced atomically (a temporary file beside it, then a rename).
 */
public final class ImagePinner {

    /** What one pin changed: the image before and after, per service. */
    public record Change(String service, String before, String after) { }

    /** Returns the new file text with each named service's image retagged, and the changes. */
    public Result pin(String text, Map<String, String> tagsByService) {
        Node root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        MappingNode services = root instanceof MappingNode m ? child(m, "services") : null;
        if (services == null) throw new ComposeException("compose file has no services mapping");

        record Edit(int start, int end, String replacement) { }
        List<Edit> edits = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<String, String> want : tagsByService.entrySet()) {
            MappingNode service = child(services, want.getKey());
            if (service == null) throw new ComposeException("service " + want.getKey() + " is not in the compose file");
            Node image = value(service, "image");
            if (!(image instanceof ScalarNode scalar)) {
                throw new ComposeException("service " + want.getKey() + " has no image: line to pin");
            }
            String before = scalar.getValue();
            String after = ImageRef.parse(before).withTag(want.getValue()).toString();
            changes.add(new Change(want.getKey(), before, after));
            if (before.equals(after)) continue;
            int start = charIndex(text, scalar.getStartMark().getIndex());
            int end = charIndex(text, scalar.getEndMark().getIndex());
            edits.add(new Edit(start, end, render(after, scalar.getScalarStyle())));
        }
        StringBuilder out = new StringBuilder(text);
        edits.sort(Comparator.comparingInt(Edit::start).reversed());
        for (Edit e : edits) out.replace(e.start(), e.end(), e.replacement());
        return new Result(out.toString(), changes);
    }

    /** The pinned text and what changed in it. */
    public record Result(String text, List<Change> changes) {
        public boolean changed() {
            return changes.stream().anyMatch(c -> !c.before().equals(c.after()));
        }
    }

    /** Reads the image of each named service without changing anything. */
    public Map<String, String> images(String text, Iterable<String> serviceNames) {
        Node root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        MappingNode services = root instanceof MappingNode m ? child(m, "services") : null;
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : serviceNames) {
            MappingNode service = services == null ? null : child(services, name);
            if (service != null && value(service, "image") instanceof ScalarNode s) out.put(name, s.getValue());
        }
        return out;
    }

    /** Pins tags in the file and writes it atomically, keeping its permissions. */
    public Result pinFile(Path file, Map<String, String> tagsByService) {
        try {
            Result result = pin(Files.readString(file, StandardCharsets.UTF_8), tagsByService);
            if (result.changed()) writeAtomically(file, result.text());
            return result;
        } catch (IOException e) {
            throw new ComposeException("cannot rewrite " + file + ": " + e.getMessage(), e);
        }
    }

    static void writeAtomically(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (view != null) {
                Set<PosixFilePermission> perms = view.readAttributes().permissions();
                Files.setPosixFilePermissions(tmp, perms);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String render(String value, DumperOptions.ScalarStyle style) {
        return switch (style) {
            case DOUBLE_QUOTED -> "\"" + value + "\"";
            case SINGLE_QUOTED -> "'" + value + "'";
            default -> value;
        };
    }

    /** snakeyaml marks count code points; Java strings count UTF-16 units. */
    private static int charIndex(String text, int codePointIndex) {
        return text.offsetByCodePoints(0, codePointIndex);
    }

    private static MappingNode child(MappingNode map, String key) {
        return value(map, key) instanceof MappingNode m ? m : null;
    }

    private static Node value(MappingNode map, String key) {
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) return t.getValueNode();
        }
        return null;
    }
}
