package dev.opsbot.slack;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The buttons of a message the bot posted or updated, as a person sees them, and pressing one. */
public final class SlackButtons {
    private SlackButtons() {
    }

    /** A button as posted: its label, action id and value. */
    public record Seen(String label, String actionId, String value) { }

    /** The buttons of a posted or updated message, in order. */
    public static List<Seen> of(FakeSlack.Call message) {
        List<Seen> out = new ArrayList<>();
        for (JsonElement block : message.blocks()) {
            JsonObject b = block.getAsJsonObject();
            if (!b.get("type").getAsString().equals("actions")) continue;
            for (JsonElement e : b.getAsJsonArray("elements")) {
                JsonObject button = e.getAsJsonObject();
                out.add(new Seen(button.getAsJsonObject("text").get("text").getAsString(),
                        button.get("action_id").getAsString(), button.get("value").getAsString()));
            }
        }
        return out;
    }

    /** The first button whose label starts with {@code label}. */
    public static Seen find(FakeSlack.Call message, String label) {
        return of(message).stream().filter(b -> b.label().startsWith(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no button '" + label + "' on " + message.visibleText() + ": " + of(message)));
    }

    /** The ts of the message a call posted or updated. */
    public static String ts(FakeSlack.Call message) {
        return message.method().equals("chat.postMessage") ? message.answerTs() : message.param("ts");
    }

    /** The block_actions payload of {@code userId} pressing the button {@code label} of {@code message}. */
    public static JsonObject press(FakeSlack.Call message, String label, String userId, String userName, String responseUrl) {
        Seen button = find(message, label);
        return SlackPayloads.buttonPress(message.param("channel"), ts(message), userId, userName, button.actionId(), button.value(),
                responseUrl, "trigger-" + button.value());
    }
}
