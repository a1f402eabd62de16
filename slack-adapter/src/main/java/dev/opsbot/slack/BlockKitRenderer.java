package dev.opsbot.slack;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.ContextBlockElement;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.InputBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import com.slack.api.model.block.element.PlainTextInputElement;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewClose;
import com.slack.api.model.view.ViewSubmit;
import com.slack.api.model.view.ViewTitle;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.ChatLimits;
import dev.opsbot.core.chat.Field;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.ModalPort;
import dev.opsbot.core.chat.Tone;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the core's {@link Message} as Block Kit: a header (the tone as an emoji before the
 * title), the text, the fields, the live output as a code block, a context line and the buttons,
 * five to an actions block. Everything is cut to Slack's limits here too, whatever the core sent.
 */
final class BlockKitRenderer {

    /** What Slack accepts (https://api.slack.com/reference/block-kit/blocks). */
    static final int SECTION_TEXT_MAX = 3_000;
    static final int HEADER_MAX = 150;
    static final int FIELD_MAX = 2_000;
    static final int FIELDS_PER_SECTION = 10;
    static final int FIELD_SECTIONS_MAX = 10;
    static final int BUTTONS_PER_ACTIONS = 5;
    static final int BUTTONS_MAX = 25;
    static final int BUTTON_LABEL_MAX = 75;
    static final int BLOCKS_MAX = 50;
    static final int FALLBACK_MAX = 40_000;
    static final int MODAL_TITLE_MAX = 24;
    static final int MODAL_INPUTS_MAX = 100;

    static final String FENCE = "```";
    /** Action ids are unique per button within a message; the token travels as the value. */
    static final String ACTION_ID_PREFIX = "ops_btn_";
    /** Modals carry the channel they were opened from here; the token is the private metadata. */
    static final String MODAL_CALLBACK_PREFIX = "ops_modal:";

    /** The limits declared to the core: text and code fit one section each once fenced. */
    static final ChatLimits LIMITS = new ChatLimits(SECTION_TEXT_MAX, SECTION_TEXT_MAX - 100, Duration.ofSeconds(1));

    /** Blocks and the notification text of one message. */
    record Rendered(List<LayoutBlock> blocks, String text) { }

    Rendered render(Message message) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(HeaderBlock.builder()
                .text(plain(SlackText.plainWithin(emoji(message.tone()) + " " + message.title(), HEADER_MAX)))
                .build());
        if (!message.text().isEmpty()) {
            blocks.add(section(SlackText.escapeWithin(message.text(), SECTION_TEXT_MAX, false)));
        }
        blocks.addAll(fieldSections(message.fields()));
        if (!message.code().isEmpty()) {
            blocks.add(section(codeBlock(message.code())));
        }
        if (!message.context().isEmpty()) {
            blocks.add(ContextBlock.builder()
                    .elements(List.<ContextBlockElement>of(markdown(
                            SlackText.escapeWithin(message.context(), SECTION_TEXT_MAX, false))))
                    .build());
        }
        blocks.addAll(actions(message.buttons()));
        if (blocks.size() > BLOCKS_MAX) {
            blocks = new ArrayList<>(blocks.subList(0, BLOCKS_MAX));
        }
        return new Rendered(List.copyOf(blocks), fallback(message));
    }

    /** A modal of plain text inputs; the block id and the action id of each input are the input's id. */
    View modal(ModalPort.Modal modal, ChannelRef channel) {
        List<LayoutBlock> blocks = new ArrayList<>();
        for (ModalPort.Input input : modal.inputs()) {
            if (blocks.size() == MODAL_INPUTS_MAX) break;
            blocks.add(InputBlock.builder()
                    .blockId(input.id())
                    .label(plain(SlackText.plainWithin(input.label(), FIELD_MAX)))
                    .hint(input.secret() ? plain("Kept private: never shown in the channel.") : null)
                    .element(PlainTextInputElement.builder().actionId(input.id()).build())
                    .build());
        }
        return View.builder()
                .type("modal")
                .callbackId(MODAL_CALLBACK_PREFIX + channel.id())
                .privateMetadata(modal.token())
                .title(ViewTitle.builder().type("plain_text")
                        .text(SlackText.plainWithin(modal.title(), MODAL_TITLE_MAX)).build())
                .submit(ViewSubmit.builder().type("plain_text").text("Submit").build())
                .close(ViewClose.builder().type("plain_text").text("Cancel").build())
                .blocks(blocks)
                .build();
    }

    static String emoji(Tone tone) {
        return switch (tone) {
            case INFO -> ":information_source:";
            case PROGRESS -> ":hourglass_flowing_sand:";
            case SUCCESS -> ":white_check_mark:";
            case WARNING -> ":warning:";
            case FAILURE -> ":x:";
        };
    }

    /** Live output keeps its newest lines when cut; a fence inside it would end the block early. */
    private static String codeBlock(String code) {
        String safe = code.replace(FENCE, "`\u200B``");
        return FENCE + SlackText.escapeWithin(safe, SECTION_TEXT_MAX - 2 * FENCE.length(), true) + FENCE;
    }

    private static List<LayoutBlock> fieldSections(List<Field> fields) {
        List<LayoutBlock> sections = new ArrayList<>();
        for (int from = 0; from < fields.size() && sections.size() < FIELD_SECTIONS_MAX; from += FIELDS_PER_SECTION) {
            List<TextObject> texts = new ArrayList<>();
            for (Field f : fields.subList(from, Math.min(fields.size(), from + FIELDS_PER_SECTION))) {
                String name = "*" + SlackText.escapeWithin(f.name(), 200, false) + "*\n";
                String value = f.value().isEmpty() ? "-" : f.value();
                texts.add(markdown(name + SlackText.escapeWithin(value, FIELD_MAX - name.length(), false)));
            }
            sections.add(SectionBlock.builder().fields(texts).build());
        }
        return sections;
    }

    private static List<LayoutBlock> actions(List<Button> buttons) {
        List<LayoutBlock> blocks = new ArrayList<>();
        List<BlockElement> row = new ArrayList<>();
        for (int i = 0; i < buttons.size() && i < BUTTONS_MAX; i++) {
            Button b = buttons.get(i);
            row.add(ButtonElement.builder()
                    .actionId(ACTION_ID_PREFIX + i)
                    .value(b.token())
                    .text(plain(SlackText.plainWithin(b.label(), BUTTON_LABEL_MAX)))
                    .style(switch (b.style()) {
                        case PRIMARY -> "primary";
                        case DANGER -> "danger";
                        case DEFAULT -> null;
                    })
                    .build());
            if (row.size() == BUTTONS_PER_ACTIONS) {
                blocks.add(ActionsBlock.builder().elements(row).build());
                row = new ArrayList<>();
            }
        }
        if (!row.isEmpty()) blocks.add(ActionsBlock.builder().elements(row).build());
        return blocks;
    }

    /** What notifications and clients without Block Kit show. */
    private static String fallback(Message message) {
        String head = emoji(message.tone()) + " " + message.title();
        String body = message.text().isEmpty() ? head : head + "\n" + message.text();
        return SlackText.escapeWithin(body, FALLBACK_MAX, false);
    }

    private static SectionBlock section(String mrkdwn) {
        return SectionBlock.builder().text(markdown(mrkdwn)).build();
    }

    private static MarkdownTextObject markdown(String text) {
        return MarkdownTextObject.builder().text(text).build();
    }

    private static PlainTextObject plain(String text) {
        return PlainTextObject.builder().text(text).emoji(true).build();
    }
}
