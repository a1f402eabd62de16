package dev.opsbot.core.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The platform-neutral message every adapter renders: a title, a plain-text body, labelled
 * fields, a block of monospaced output (live step output), a small context line and buttons.
 * Any part but the title may be empty.
 */
public record Message(String title, Tone tone, String text, List<Field> fields, String code,
                      String context, List<Button> buttons) {

    public Message {
        Objects.requireNonNull(title, "title");
        tone = tone == null ? Tone.INFO : tone;
        text = text == null ? "" : text;
        fields = fields == null ? List.of() : List.copyOf(fields);
        code = code == null ? "" : code;
        context = context == null ? "" : context;
        buttons = buttons == null ? List.of() : List.copyOf(buttons);
    }

    public static Message of(Tone tone, String title, String text) {
        return new Message(title, tone, text, List.of(), "", "", List.of());
    }

    public static Builder builder(Tone tone, String title) {
        return new Builder(tone, title);
    }

    public Message withButtons(List<Button> newButtons) {
        return new Message(title, tone, text, fields, code, context, newButtons);
    }

    public Message withoutButtons() {
        return withButtons(List.of());
    }

    public Message withCode(String newCode) {
        return new Message(title, tone, text, fields, newCode, context, buttons);
    }

    /** Everything a reader would see, as plain text: for the console, logs and tests. */
    public String plainText() {
        StringBuilder out = new StringBuilder(title);
        if (!text.isEmpty()) out.append('\n').append(text);
        for (Field f : fields) out.append('\n').append(f.name()).append(": ").append(f.value());
        if (!code.isEmpty()) out.append('\n').append(code);
        if (!context.isEmpty()) out.append('\n').append(context);
        return out.toString();
    }

    public static final class Builder {
        private final Tone tone;
        private final String title;
        private final StringBuilder text = new StringBuilder();
        private final List<Field> fields = new ArrayList<>();
        private final List<Button> buttons = new ArrayList<>();
        private String code = "";
        private String context = "";

        private Builder(Tone tone, String title) {
            this.tone = tone;
            this.title = title;
        }

        public Builder line(String line) {
            if (text.length() > 0) text.append('\n');
            text.append(line);
            return this;
        }

        public Builder field(String name, String value) {
            fields.add(new Field(name, value));
            return this;
        }

        public Builder code(String code) {
            this.code = code;
            return this;
        }

        public Builder context(String context) {
            this.context = context;
            return this;
        }

        public Builder button(Button button) {
            buttons.add(button);
            return this;
        }

        public Message build() {
            return new Message(title, tone, text.toString(), fields, code, context, buttons);
        }
    }
}
