package dev.opsbot.core.runbook;

import dev.opsbot.core.compose.ComposeLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** A YAML node that knows its file and line, so every complaint about it can point there. */
public final class YamlNode {
    private final Node node;
    private final Path file;

    YamlNode(Node node, Path file) {
        this.node = node;
        this.file = file;
    }

    public int line() {
        return node.getStartMark().getLine() + 1;
    }

    public RunbookException error(String problem) {
        return new RunbookException(file, line(), problem);
    }

    public boolean isMap() {
        return node instanceof MappingNode;
    }

    public boolean isList() {
        return node instanceof SequenceNode;
    }

    public boolean isNull() {
        return node instanceof ScalarNode s && "tag:yaml.org,2002:null".equals(s.getTag().getValue());
    }

    public String string() {
        if (!(node instanceof ScalarNode s) || isNull()) throw error("expected a text value");
        return s.getValue();
    }

    public int integer() {
        try {
            return Integer.parseInt(string().strip());
        } catch (NumberFormatException e) {
            throw error("expected a whole number, found '" + string() + "'");
        }
    }

    public boolean bool() {
        String v = string().strip();
        if (v.equals("true") || v.equals("yes")) return true;
        if (v.equals("false") || v.equals("no")) return false;
        throw error("expected true or false, found '" + v + "'");
    }

    /** A duration as Compose writes one ({@code 90s}, {@code 1m30s}). */
    public Duration duration() {
        String text = string();
        try {
            return ComposeLoader.duration(text);
        } catch (RuntimeException e) {
            throw error(e.getMessage());
        }
    }

    public List<YamlNode> list() {
        if (!(node instanceof SequenceNode s)) throw error("expected a list");
        List<YamlNode> out = new ArrayList<>();
        for (Node n : s.getValue()) out.add(new YamlNode(n, file));
        return out;
    }

    /** A list of texts; a single text counts as a list of one. */
    public List<String> strings() {
        if (node instanceof ScalarNode) return List.of(string());
        return list().stream().map(YamlNode::string).toList();
    }

    public Map<String, YamlNode> map() {
        if (isNull()) return Map.of();
        if (!(node instanceof MappingNode m)) throw error("expected a mapping of key: value");
        Map<String, YamlNode> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            YamlNode key = new YamlNode(t.getKeyNode(), file);
            if (out.put(key.string(), new YamlNode(t.getValueNode(), file)) != null) {
                throw key.error("key '" + key.string() + "' appears twice");
            }
        }
        return out;
    }

    /** The mapping, refusing keys outside {@code allowed} (a typo must not be silently ignored). */
    public Map<String, YamlNode> map(Set<String> allowed) {
        Map<String, YamlNode> m = map();
        for (Map.Entry<String, YamlNode> e : m.entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw e.getValue().error("unknown key '" + e.getKey() + "' (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
        return m;
    }

    public YamlNode required(Map<String, YamlNode> map, String key) {
        YamlNode v = map.get(key);
        if (v == null || v.isNull()) throw error("'" + key + "' is required");
        return v;
    }
}
