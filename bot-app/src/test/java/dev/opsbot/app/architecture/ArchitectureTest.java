package dev.opsbot.app.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The shape of the code, held: the core knows no chat platform and reaches Docker only through
 * its ports; adapters see only the core's chat and command API; no package depends on itself
 * through others.
 */
@AnalyzeClasses(packages = "dev.opsbot", importOptions = MainCodeOnly.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule theCoreKnowsNoChatPlatform = noClasses().that().resideInAPackage("dev.opsbot.core..")
            .should().dependOnClassesThat().resideInAnyPackage("com.slack..", "net.dv8tion..", "okhttp3..", "org.eclipse.jetty..",
                    "dev.opsbot.slack..", "dev.opsbot.discord..", "dev.opsbot.app..")
            .because("adapters depend on the core, never the other way round");

    @ArchTest
    static final ArchRule dockerJavaOnlyBehindTheEnginePorts = noClasses().that().resideOutsideOfPackage("dev.opsbot.core.dockerjava..")
            .should().dependOnClassesThat().resideInAnyPackage("com.github.dockerjava..", "org.apache.hc..")
            .because("the core reaches an engine through DockerHost, SwarmHost and ContainerWatch only");

    @ArchTest
    static final ArchRule adaptersUseOnlyTheChatAndCommandApi = noClasses()
            .that().resideInAnyPackage("dev.opsbot.slack..", "dev.opsbot.discord..")
            .should().dependOnClassesThat(resideInAPackage("dev.opsbot.core..")
                    .and(not(resideInAnyPackage("dev.opsbot.core.chat..", "dev.opsbot.core.command..", "dev.opsbot.core.failure..",
                            "dev.opsbot.core.telemetry.."))))
            .because("an adapter translates between its platform and the core's chat port and commands (and counts what it does), nothing else");

    @ArchTest
    static final ArchRule adaptersKnowNothingOfEachOther = noClasses().that().resideInAPackage("dev.opsbot.slack..")
            .should().dependOnClassesThat().resideInAPackage("dev.opsbot.discord..");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.opsbot.(**)").should().beFreeOfCycles();
}
