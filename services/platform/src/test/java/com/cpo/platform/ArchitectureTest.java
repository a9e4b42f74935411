package com.cpo.platform;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The service's layers name only those below them: no package cycles. */
class ArchitectureTest {

    @Test
    void thePackagesHaveNoCycles() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.cpo.platform");
        slices().matching("com.cpo.platform.(*)..").should().beFreeOfCycles().check(classes);
    }
}
