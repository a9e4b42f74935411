package com.cpo.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What {@code --check} does: reads a tester file as the agent would and lists what is wrong with it. */
final class FileCheck {

    private FileCheck() {
    }

    /** The problems of one file (empty when good); {@code station} may be null to skip the station check. */
    static List<String> check(Path file, String station) throws IOException {
        List<String> problems = new ArrayList<>();
        String name = file.getFileName().toString();
        if (name.endsWith(AlignmentFile.SUFFIX)) {
            try {
                AlignmentFile parsed = AlignmentFile.read(file);
                if (station != null && !station.equals(parsed.header().get("station"))) {
                    problems.add(new TesterFileException(file, parsed.headerLine(), "station",
                            "'" + parsed.header().get("station") + "' is not this agent's station " + station).getMessage());
                }
            } catch (TesterFileException e) {
                problems.add(e.getMessage());
            }
        } else if (name.endsWith(BurnInLog.SUFFIX)) {
            long position = 0;
            long line = 1;
            long size = Files.size(file);
            while (position < size) {
                BurnInLog.Chunk chunk = BurnInLog.read(file, position, line);
                if (chunk.lines().isEmpty()) {
                    problems.add(file.getFileName() + ", line " + line + ": incomplete last line (no line break yet)");
                    break;
                }
                for (BurnInLog.Line l : chunk.lines()) {
                    try {
                        BurnInLog.parse(file, l);
                    } catch (TesterFileException e) {
                        problems.add(e.getMessage());
                    }
                }
                position = chunk.nextPosition();
                line = chunk.nextLine();
            }
        } else {
            problems.add(name + ": not a tester file (*" + AlignmentFile.SUFFIX + " or *" + BurnInLog.SUFFIX + ")");
        }
        return problems;
    }
}
