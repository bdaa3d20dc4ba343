package io.dispensary.orders;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules a change must keep, checked on the compiled main classes. Print the dependencies they guard
 * with {@code bin/package-deps}.
 */
class ArchitectureTest {

    static final String ROOT = "io.dispensary.orders";

    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /**
     * Where java.sql may appear: the stores (one per aggregate), the number-space sequence classes (nextval and
     * the start-up checks run on the sequences themselves), and common.database, the plumbing every store shares:
     * the SQLException helper, the time budget, fault classification, pool timeouts, readiness and the
     * connection limits.
     */
    // A store's nested types (its column and row-reader interfaces) are part of it.
    static final DescribedPredicate<JavaClass> MAY_USE_JDBC = simpleNameEndingWith("Store")
            .or(nameMatching(".*Store\\$.*"))
            .or(resideInAPackage(ROOT + ".common.database.."))
            .or(nameIn(ROOT + ".numberspace.", Set.of("NumberSpace", "NumberSpaceSetup", "SequencePosition")))
            .as("a store, a number-space sequence class or common.database");

    /** A call of Panache's data access (find, list, persist, flush, ...) on an entity: the ORM's way into a table. */
    static final DescribedPredicate<JavaMethodCall> PANACHE_DATA_ACCESS = DescribedPredicate.describe(
            "Panache data access on an entity",
            call -> call.getTargetOwner().isAssignableTo(PanacheEntityBase.class)
                    && Arrays.stream(PanacheEntityBase.class.getMethods())
                            .anyMatch(method -> method.getName().equals(call.getName())));

    @Test
    void orderNumbersDependOnNothingElseOfTheService() {
        check(noClasses()
                .that()
                .resideInAPackage(ROOT + ".ordernumber..")
                .should()
                .dependOnClassesThat(
                        resideInAPackage(ROOT + "..").and(not(resideInAPackage(ROOT + ".ordernumber..")))));
    }

    @Test
    void commonDependsOnNoFeature() {
        check(noClasses()
                .that()
                .resideInAPackage(ROOT + ".common..")
                .should()
                .dependOnClassesThat(resideInAPackage(ROOT + "..").and(not(resideInAPackage(ROOT + ".common..")))));
    }

    @Test
    void topLevelPackagesHaveNoCycles() {
        check(slices().matching(ROOT + ".(*)..").should().beFreeOfCycles());
    }

    @Test
    void onlyStoresUseJdbc() {
        check(noClasses().that(not(MAY_USE_JDBC)).should().dependOnClassesThat().resideInAPackage("java.sql.."));
    }

    /** SQL in a string or text block: a statement's first words, as the stores write them. */
    static final Pattern SQL_TEXT = Pattern.compile(
            "\"[^\"\\n]*\\b(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM)\\b|^\\s*(SELECT|INSERT INTO|DELETE FROM|WITH [a-z_]+ AS)\\b",
            Pattern.MULTILINE);

    @Test
    void sqlTextAppearsOnlyWhereJdbcMay() throws IOException {
        Path sources = Path.of("src/main/java");
        List<String> strays;
        try (Stream<Path> files = Files.walk(sources)) {
            strays = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> !file.endsWith("package-info.java"))
                    .filter(file -> !MAY_USE_JDBC.test(MAIN.get(className(sources, file))))
                    .filter(file -> SQL_TEXT.matcher(read(file)).find())
                    .map(Path::toString)
                    .toList();
        }
        assertThat(strays)
                .as("classes with SQL text that are not %s", MAY_USE_JDBC.getDescription())
                .isEmpty();
    }

    @Test
    void onlyStoresQueryOrPersistEntities() {
        check(noClasses()
                .that(not(simpleNameEndingWith("Store")))
                .should()
                .callMethodWhere(PANACHE_DATA_ACCESS)
                .orShould()
                .dependOnClassesThat()
                .belongToAnyOf(EntityManager.class, Query.class));
    }

    @Test
    void servicesNeverCallResources() {
        check(noClasses()
                .that()
                .haveSimpleNameEndingWith("Service")
                .should()
                .dependOnClassesThat()
                .haveSimpleNameEndingWith("Resource"));
    }

    static String className(Path sources, Path file) {
        String relative = sources.relativize(file).toString();
        return relative.substring(0, relative.length() - ".java".length()).replace(java.io.File.separatorChar, '.');
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void check(ArchRule rule) {
        rule.check(MAIN);
    }

    static DescribedPredicate<JavaClass> nameIn(String packagePrefix, Set<String> simpleNames) {
        return DescribedPredicate.describe(
                "one of " + simpleNames,
                javaClass -> javaClass.getName().startsWith(packagePrefix)
                        && simpleNames.contains(javaClass.getSimpleName()));
    }
}
