package com.cpo.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A benchmark's working folder: gigabytes of broker log and spool that no later run needs. */
final class BenchFiles {

    private BenchFiles() {
    }

    /** A new folder under target/bench, named after the benchmark. */
    static Path newWorkDir(String benchmark) throws IOException {
        return Files.createTempDirectory(Files.createDirectories(Path.of("target/bench").toAbsolutePath()), benchmark + "-");
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
