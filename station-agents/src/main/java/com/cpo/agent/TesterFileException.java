package com.cpo.agent;

import java.nio.file.Path;

/**
 * A tester file that cannot be turned into events. The message names the file, the line (1-based) and
 * the field, so an engineer can open the file and fix it.
 */
public class TesterFileException extends Exception {

    private final Path file;
    private final int line;
    private final String field;

    public TesterFileException(Path file, int line, String field, String problem) {
        super(file.getFileName() + (line > 0 ? ", line " + line : "") + (field != null ? ", field '" + field + "'" : "") + ": " + problem);
        this.file = file;
        this.line = line;
        this.field = field;
    }

    public Path file() {
        return file;
    }

    /** 1-based line, or 0 when the problem is with the whole file. */
    public int line() {
        return line;
    }

    /** The offending field, or null. */
    public String field() {
        return field;
    }
}
