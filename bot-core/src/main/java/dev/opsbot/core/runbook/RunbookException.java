package dev.opsbot.core.runbook;

import dev.opsbot.core.failure.OperationFailedException;
import java.nio.file.Path;

/** A runbook file is malformed; says which file, which line, and what is wrong. */
public class RunbookException extends OperationFailedException {
    private final Path file;
    private final int line;

    public RunbookException(Path file, int line, String problem) {
        super(file.getFileName() + ":" + line + ": " + problem);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    public int line() {
        return line;
    }
}
