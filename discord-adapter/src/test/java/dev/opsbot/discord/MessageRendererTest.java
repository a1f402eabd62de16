package dev.opsbot.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.ButtonStyle;
import net.dv8tion.jda.api.entities.MessageEmbed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(10)
class MessageRendererTest {
    private final MessageRenderer renderer = new MessageRenderer();

    static Stream<Arguments> descriptions() {
        return Stream.of(
                // text only
                Arguments.of("Pulling.", "", "Pulling."),
                // output only: a code block
                Arguments.of("", "ok", "```\nok\n```"),
                // both: the text above the block
                Arguments.of("Pulling.", "ok", "Pulling.\n```\nok\n```"),
                // a fence inside the output cannot close the block early
                Arguments.of("", "a```b", "```\na``\u200b`b\n```"));
    }

    @ParameterizedTest
    @MethodSource("descriptions")
    void theDescriptionIsTheTextThenTheOutputAsACodeBlock(String text, String code, String expected) {
        assertEquals(expected, MessageRenderer.description(text, code));
    }

    @Test
    void longTextAndLongOutputTogetherStayWithinTheDescriptionLimit() {
        String description = MessageRenderer.description("t".repeat(4_000), "line\n".repeat(2_000) + "last");
        assertTrue(description.length() <= MessageEmbed.DESCRIPTION_MAX_LENGTH, description.length() + " characters");
        assertTrue(description.endsWith("last\n```"));
        assertTrue(description.contains("t\u2026\n```"), "the text is cut at its end");
    }

    @Test
    void manyLargeFieldsAreCutToKeepTheWholeEmbedWithin6000Characters() {
        Message.Builder message = Message.builder(Tone.INFO, "T".repeat(300)).line("d".repeat(5_000))
                .context("c".repeat(3_000));
        IntStream.range(0, 30).forEach(i -> message.field("field " + i, "v".repeat(2_000)));
        MessageEmbed embed = renderer.embed(message.build());
        assertTrue(embed.getLength() <= MessageEmbed.EMBED_MAX_LENGTH_BOT, embed.getLength() + " characters");
        assertEquals(MessageEmbed.TITLE_MAX_LENGTH, embed.getTitle().length());
        assertTrue(embed.getFields().size() <= MessageEmbed.MAX_FIELD_AMOUNT);
        assertTrue(embed.getFields().stream().allMatch(f -> f.getValue().length() <= MessageEmbed.VALUE_MAX_LENGTH));
    }

    @Test
    void emptyFieldValuesStillRender() {
        MessageEmbed embed = renderer.embed(Message.builder(Tone.INFO, "T").field("Note", "").build());
        assertEquals("\u2014", embed.getFields().get(0).getValue());
        assertFalse(embed.getFields().get(0).isInline() && embed.getFields().get(0).getValue().isEmpty());
    }

    @Test
    void buttonsGoInRowsOfFiveAtMostFiveRows() {
        assertEquals(List.of(), renderer.rows(List.of()));
        assertEquals(List.of(5, 2), sizes(renderer.rows(buttons(7))));
        assertEquals(List.of(5, 5, 5, 5, 5), sizes(renderer.rows(buttons(30))));
    }

    @Test
    void buttonsCarryTheTokenAsCustomIdWithTheirStyle() {
        List<ActionRow> rows = renderer.rows(List.of(new Button("Approve", "approve:1", Button.Style.PRIMARY),
                new Button("x".repeat(100), "cancel:1", Button.Style.DANGER),
                new Button("Logs", "logs:1", Button.Style.DEFAULT)));
        List<net.dv8tion.jda.api.components.buttons.Button> b = rows.get(0).getButtons();
        assertEquals("approve:1", b.get(0).getCustomId());
        assertEquals(ButtonStyle.PRIMARY, b.get(0).getStyle());
        assertEquals(ButtonStyle.DANGER, b.get(1).getStyle());
        assertEquals(80, b.get(1).getLabel().length());
        assertEquals(ButtonStyle.SECONDARY, b.get(2).getStyle());
    }

    @Test
    void everyToneHasItsOwnColour() {
        assertEquals(Tone.values().length,
                Arrays.stream(Tone.values()).map(MessageRenderer::colour).distinct().count());
    }

    @Test
    void clippingNeverSplitsASurrogatePair() {
        String text = "ab\uD83D\uDE80cd";
        assertEquals("ab\u2026", MessageRenderer.clip(text, 4));
        assertEquals(text, MessageRenderer.clip(text, 6));
    }

    private static List<Button> buttons(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> new Button("B" + i, "b:" + i, Button.Style.DEFAULT)).toList();
    }

    private static List<Integer> sizes(List<ActionRow> rows) {
        return rows.stream().map(r -> r.getComponents().size()).toList();
    }
}
