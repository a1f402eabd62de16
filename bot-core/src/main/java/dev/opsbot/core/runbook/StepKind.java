package dev.opsbot.core.runbook;

/**
 * One kind of runbook step as YAML names it ({@code pin}, {@code http-check}): the fields it
 * accepts and how it makes its {@link Step} from them. A kind is a public class with a public
 * no-argument constructor, listed in {@code META-INF/services/dev.opsbot.core.runbook.StepKind};
 * {@link StepKinds} finds the listed kinds and checks their descriptions when the bot starts.
 */
public interface StepKind {

    /** The step's key in a runbook: lower case letters, digits and dashes. */
    String key();

    /** The fields the step accepts besides the ones every step has (title, timeout, continue-on-failure). */
    StepFields fields();

    /**
     * Makes the step from its fields, which are already checked against {@link #fields()}: the
     * declared required ones are there, no undeclared one is. Complaints about a value go
     * through {@link StepBody#error} or {@link YamlNode#error}, so they name the file and line.
     */
    Step build(StepBody body);
}
