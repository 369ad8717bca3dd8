package dev.atrium.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static dev.atrium.architecture.AtriumClasses.COMPLIANCE;
import static dev.atrium.architecture.AtriumClasses.CONSOLE;
import static dev.atrium.architecture.AtriumClasses.CONTRACT;
import static dev.atrium.architecture.AtriumClasses.CONTROL_PLANE;
import static dev.atrium.architecture.AtriumClasses.DATA_PLANE;
import static dev.atrium.architecture.AtriumClasses.TENANCY;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules that keep each module's shape: no package cycles, bottom layers that import no feature, thin resources,
 * planes that never import each other and libraries free of the Quarkus runtime. Package layering itself (which
 * package may use which) is checked against docs/architecture.md by {@link PackageGraphTest}.
 */
class DependencyRulesTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = AtriumClasses.all();
  }

  @ParameterizedTest
  @ValueSource(strings = {CONTROL_PLANE, DATA_PLANE, CONSOLE, TENANCY, COMPLIANCE, CONTRACT})
  void noPackageCyclesInsideAModule(String module) {
    slices().matching(module + ".(**)").should().beFreeOfCycles().allowEmptyShould(true).check(classes);
  }

  @Test
  void controlPlaneBottomLayersImportNoFeature() {
    onlyUses(CONTROL_PLANE + ".identity", CONTROL_PLANE + ".identity");
    onlyUses(CONTROL_PLANE + ".common", CONTROL_PLANE + ".common");
    onlyUses(CONTROL_PLANE + ".trail", CONTROL_PLANE + ".trail", CONTROL_PLANE + ".common", CONTROL_PLANE + ".identity");
    onlyUses(CONTROL_PLANE + ".auth", CONTROL_PLANE + ".auth", CONTROL_PLANE + ".common", CONTROL_PLANE + ".identity",
        CONTROL_PLANE + ".trail");
  }

  @Test
  void dataPlaneBottomLayersImportNoFeature() {
    onlyUses(DATA_PLANE + ".common", DATA_PLANE + ".common");
    onlyUses(DATA_PLANE + ".storage", DATA_PLANE + ".storage", DATA_PLANE + ".common");
    onlyUses(DATA_PLANE + ".controlplane", DATA_PLANE + ".controlplane", DATA_PLANE + ".common");
  }

  @ParameterizedTest
  @ValueSource(strings = {CONTROL_PLANE, DATA_PLANE})
  void resourcesHoldNoSqlAndCallNoUpstream(String plane) {
    noClasses().that(areRestResources()).and().resideInAPackage(plane + "..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "java.sql..", "javax.sql..", "io.agroal..", "io.vertx.sqlclient..", "java.net.http..",
            "dev.langchain4j.model.openai..", "com.openai..", DATA_PLANE + ".upstream..",
            "jakarta.persistence..", "org.hibernate..", "io.quarkus.hibernate..")
        .because("a resource maps HTTP to a service call; SQL belongs in a repository and model calls in the gateway")
        .allowEmptyShould(false)
        .check(classes);
  }

  @ParameterizedTest
  @ValueSource(strings = {CONTROL_PLANE, DATA_PLANE})
  void resourcesNeitherQueryNorPersistEntities(String plane) {
    noClasses().that(areRestResources()).and().resideInAPackage(plane + "..")
        .should().callMethodWhere(DescribedPredicate.describe("the target is a method of an entity (a query or a write)",
            call -> call.getTargetOwner().isAnnotatedWith("jakarta.persistence.Entity")))
        .because("finding and saving entities is a service's work, inside its transaction; a resource may only read "
            + "the fields of what a service returned")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void thePlanesAndTheConsoleNeverImportEachOther() {
    noClasses().that().resideInAPackage(CONTROL_PLANE + "..")
        .should().dependOnClassesThat().resideInAnyPackage(DATA_PLANE + "..", CONSOLE + "..").check(classes);
    noClasses().that().resideInAPackage(DATA_PLANE + "..")
        .should().dependOnClassesThat().resideInAnyPackage(CONTROL_PLANE + "..", CONSOLE + "..").check(classes);
    noClasses().that().resideInAPackage(CONSOLE + "..")
        .should().dependOnClassesThat().resideInAnyPackage(CONTROL_PLANE + "..", DATA_PLANE + "..").check(classes);
  }

  @ParameterizedTest
  @ValueSource(strings = {TENANCY, COMPLIANCE, CONTRACT})
  void librariesAreFreeOfTheQuarkusRuntimeAndOfTheApps(String library) {
    noClasses().that().resideInAPackage(library + "..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.quarkus..", "io.vertx..", "io.smallrye..", "jakarta.enterprise..", "jakarta.ws.rs..",
            CONTROL_PLANE + "..", DATA_PLANE + "..", CONSOLE + "..")
        .because("a library is used by more than one app and by offline tools such as the export verifier")
        .check(classes);
  }

  private static void onlyUses(String layer, String... allowed) {
    String[] allowedPatterns = new String[allowed.length];
    for (int i = 0; i < allowed.length; i++) {
      allowedPatterns[i] = allowed[i] + "..";
    }
    String app = layer.substring(0, layer.lastIndexOf('.'));
    noClasses().that().resideInAPackage(layer + "..")
        .should().dependOnClassesThat(insideButNotIn(app, allowedPatterns))
        .because(layer + " is a bottom layer every feature builds on; it must not import a feature")
        .check(classes);
  }

  private static DescribedPredicate<JavaClass> insideButNotIn(String app, String[] allowedPatterns) {
    return DescribedPredicate.describe("are in " + app + " outside " + String.join(", ", allowedPatterns),
        target -> target.getPackageName().startsWith(app + ".")
            && !JavaClass.Predicates.resideInAnyPackage(allowedPatterns).test(target));
  }

  private static DescribedPredicate<JavaClass> areRestResources() {
    return DescribedPredicate.describe("are REST resources (annotated with @Path) or classes nested in one",
        javaClass -> javaClass.isAnnotatedWith("jakarta.ws.rs.Path")
            || javaClass.getEnclosingClass().map(outer -> outer.isAnnotatedWith("jakarta.ws.rs.Path")).orElse(false));
  }
}
