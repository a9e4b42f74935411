package com.cpo.analytics;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The app stays readable: one concern per package, no cycles between them, no class a newcomer cannot read in one go. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.cpo.analytics");

    @Test
    void thePackagesHaveNoCycles() {
        slices().matching("com.cpo.analytics.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void noMainClassIsOver400Lines() throws IOException {
        List<String> large;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            large = files.filter(p -> p.toString().endsWith(".java")).filter(p -> lines(p) > 400).map(p -> p + " " + lines(p)).toList();
        }
        assertThat(large).isEmpty();
    }

    private static long lines(Path p) {
        try (Stream<String> l = Files.lines(p)) {
            return l.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
