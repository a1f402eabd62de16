package dev.opsbot.discord;

import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChatLimits;
import dev.opsbot.core.chat.Field;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import java.awt.Color;
import java.time.Duration;
import java.util.List;
import net.dv8tion.jda.api.EmbedBuilder;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.ButtonStyle;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import net.dv8tion.jda.api.utils.messages.MessageEditBuilder;
import net.dv8tion.jda.api.utils.messages.MessageEditData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders the core's {@link Message} as one embed (title, colour by tone, description = text
 * and the live output as a code block, fields, footer = context line) and its buttons as action
 * rows, always within Discord's limits: whatever does not fit is cut, never rejected.
 */
final class MessageRenderer {
    static final int MAX_DESCRIPTION = MessageEmbed.DESCRIPTION_MAX_LENGTH;
    /** Room for the code block inside the description, leaving some for the text above it. */
    static final int MAX_CODE = 3_900;
    static final int MAX_EMBED = MessageEmbed.EMBED_MAX_LENGTH_BOT;
    static final int BUTTONS_PER_ROW = 5;
    static final int MAX_ROWS = 5;
    static final int MAX_BUTTON_LABEL = 80;
    /** Discord queues edits in its rate-limit buckets; one a second per message keeps them smooth. */
    static final ChatLimits LIMITS = new ChatLimits(MAX_DESCRIPTION, MAX_CODE, Duration.ofSeconds(1));

    private static final String FENCE = "```";
    private static final String ELLIPSIS = "\u2026";
    private static final Logger LOG = LoggerFactory.getLogger(MessageRenderer.class);

    MessageCreateData create(Message message) {
        return new MessageCreateBuilder().setEmbeds(embed(message)).setComponents(rows(message.buttons())).build();
    }

    /** An edit that replaces the embed and the buttons (none removes them) and clears any plain content. */
    MessageEditData edit(Message message) {
        return new MessageEditBuilder().setContent("").setEmbeds(embed(message))
                .setComponents(rows(message.buttons())).build();
    }

    MessageEmbed embed(Message message) {
        String title = clip(message.title().isBlank() ? "opsbot" : message.title(), MessageEmbed.TITLE_MAX_LENGTH);
        String description = description(message.text(), message.code());
        EmbedBuilder embed = new EmbedBuilder().setTitle(title).setColor(colour(message.tone()));
        if (!description.isEmpty()) embed.setDescription(description);
        int room = MAX_EMBED - title.length() - description.length();
        List<Field> fields = message.fields();
        for (int i = 0; i < fields.size() && i < MessageEmbed.MAX_FIELD_AMOUNT; i++) {
            String name = clip(fields.get(i).name().isBlank() ? "\u200b" : fields.get(i).name(),
                    MessageEmbed.TITLE_MAX_LENGTH);
            String value = clip(fields.get(i).value().isBlank() ? "\u2014" : fields.get(i).value(),
                    MessageEmbed.VALUE_MAX_LENGTH);
            if (name.length() + value.length() > room) {
                value = clip(value, room - name.length());
                if (value.isEmpty()) {
                    LOG.warn("Message '{}': {} fields left out to stay within {} characters", title,
                            fields.size() - i, MAX_EMBED);
                    break;
                }
            }
            embed.addField(name, value, value.length() <= 40);
            room -= name.length() + value.length();
        }
        String footer = clip(message.context(), Math.min(MessageEmbed.TEXT_MAX_LENGTH, room));
        if (!footer.isBlank()) embed.setFooter(footer);
        return embed.build();
    }

    /** Buttons in rows of five, at most five rows; the core's token travels as the custom id. */
    List<ActionRow> rows(List<Button> buttons) {
        int max = BUTTONS_PER_ROW * MAX_ROWS;
        if (buttons.size() > max) {
            LOG.warn("{} buttons in one message: only the first {} are shown", buttons.size(), max);
        }
        List<net.dv8tion.jda.api.components.buttons.Button> rendered = buttons.stream().limit(max)
                .map(MessageRenderer::button).toList();
        return rendered.isEmpty() ? List.of() : ActionRow.partitionOf(rendered);
    }

    private static net.dv8tion.jda.api.components.buttons.Button button(Button button) {
        ButtonStyle style = switch (button.style()) {
            case PRIMARY -> ButtonStyle.PRIMARY;
            case DANGER -> ButtonStyle.DANGER;
            case DEFAULT -> ButtonStyle.SECONDARY;
        };
        String label = clip(button.label().isBlank() ? button.token() : button.label(), MAX_BUTTON_LABEL);
        return net.dv8tion.jda.api.components.buttons.Button.of(style, button.token(), label);
    }

    /**
     * The text, then the live output as a code block. The output keeps its latest lines when it
     * is too long; the text is cut at its end when the two together are.
     */
    static String description(String text, String code) {
        if (code.isEmpty()) return clip(text, MAX_DESCRIPTION);
        String block = FENCE + "\n" + tail(code.replace(FENCE, "``\u200b`"), MAX_CODE - 2 * FENCE.length() - 2)
                + "\n" + FENCE;
        if (text.isEmpty()) return block;
        return clip(text, MAX_DESCRIPTION - block.length() - 1) + "\n" + block;
    }

    /** The end of {@code text} within {@code max} characters, from a line start where one is near. */
    static String tail(String text, int max) {
        if (text.length() <= max) return text;
        int from = text.length() - (max - ELLIPSIS.length() - 1);
        if (Character.isLowSurrogate(text.charAt(from))) from++;
        int newline = text.indexOf('\n', from);
        if (newline >= 0 && newline - from < 200) from = newline + 1;
        return ELLIPSIS + "\n" + text.substring(from);
    }

    /** {@code text} within {@code max} characters, ending with an ellipsis when cut. */
    static String clip(String text, int max) {
        if (text.length() <= max) return text;
        if (max <= ELLIPSIS.length()) return "";
        int end = max - ELLIPSIS.length();
        if (Character.isHighSurrogate(text.charAt(end - 1))) end--;
        return text.substring(0, end) + ELLIPSIS;
    }

    static Color colour(Tone tone) {
        return switch (tone) {
            case INFO -> new Color(0x5865F2);
            case PROGRESS -> new Color(0x3498DB);
            case SUCCESS -> new Color(0x57F287);
            case WARNING -> new Color(0xFEE75C);
            case FAILURE -> new Color(0xED4245);
        };
    }
}
