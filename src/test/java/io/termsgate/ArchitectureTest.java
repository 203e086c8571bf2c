package io.termsgate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The architecture as rules the build enforces. */
@AnalyzeClasses(packages = "io.termsgate", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** One door to the engine: Drools and DMN types stay inside engine.drools. */
    @ArchTest
    static final ArchRule onlyTheDroolsAdapterKnowsDrools = noClasses()
            .that()
            .resideOutsideOfPackage("io.termsgate.engine.drools..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.kie..", "org.drools..");

    /**
     * The facts rule authors write against are plain data. (The package's {@code package-info} names it an interface
     * of the engine module for Spring Modulith; that is documentation of the structure, not a dependency of a fact.)
     */
    @ArchTest
    static final ArchRule factsAreFrameworkFree = noClasses()
            .that()
            .resideInAPackage("io.termsgate.engine.facts..")
            .and()
            .doNotHaveSimpleName("package-info")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "com.fasterxml..");

    /** The engine knows nothing of HTTP, storage or who is asking. */
    @ArchTest
    static final ArchRule engineDependsOnNoModule = noClasses()
            .that()
            .resideInAPackage("io.termsgate.engine..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.termsgate.decision..",
                    "io.termsgate.ruleset..",
                    "io.termsgate.audit..",
                    "io.termsgate.security..",
                    "io.termsgate.web..");

    /** Shared HTTP concerns serve the modules, never the other way round. */
    @ArchTest
    static final ArchRule webIsShared = noClasses()
            .that()
            .resideInAPackage("io.termsgate.web..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.termsgate.decision..", "io.termsgate.ruleset..", "io.termsgate.audit..");

    @ArchTest
    static final ArchRule modulesHaveNoCycles =
            slices().matching("io.termsgate.(*)..").should().beFreeOfCycles();
}
