package dev.portico.edge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.portico.edge.request.Exchange;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The edge's structure, held by its compiled classes: packages without cycles, the assembly on top,
 * the shared request types below the pipeline, and each part of a request's state set by the one
 * step that owns it.
 */
class EdgeArchitectureTest {
  static final JavaClasses EDGE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.portico.edge");

  /**
   * Exchange's setters and the one class that may call each (the chain runner owns the outcome).
   */
  static final Map<String, Set<String>> EXCHANGE_WRITERS =
      Map.ofEntries(
          Map.entry("selectStage", Set.of("steps.StageSelector")),
          Map.entry("selectRelease", Set.of("steps.StageSelector")),
          Map.entry("routeTo", Set.of("steps.RouteLookup")),
          Map.entry("limitBody", Set.of("steps.BodyLimit")),
          Map.entry("authorizeKey", Set.of("guards.ApiKeyGuard")),
          Map.entry("authorizeClaims", Set.of("guards.JwtGuard")),
          Map.entry("authorizeFunction", Set.of("guards.FunctionAuthorizerGuard")),
          Map.entry("keepBody", Set.of("guards.ValidationGuard")),
          Map.entry("cacheLookedUp", Set.of("steps.CacheLookup")),
          Map.entry("respondWith", Set.of("steps.IntegrationCall")),
          Map.entry("functionReturned", Set.of("steps.IntegrationCall")),
          Map.entry("connectAs", Set.of("websocket.WebSocketGateway")),
          Map.entry("integrationStarts", Set.of("http.GatewayHandler")),
          Map.entry("integrationEnds", Set.of("http.GatewayHandler")),
          Map.entry("end", Set.of("http.GatewayHandler", "http.MalformedRequests")));

  @Test
  void shouldHaveNoPackageCycles() {
    slices().matching("dev.portico.edge.(*)..").should().beFreeOfCycles().check(EDGE);
  }

  @Test
  void shouldKeepTheAssemblyOnTop() {
    // EdgeService and its configuration wire the packages together; none of them reaches back.
    noClasses()
        .that()
        .resideInAPackage("dev.portico.edge.*..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.portico.edge")
        .check(EDGE);
  }

  @Test
  void shouldKeepTheRequestTypesBelowThePipeline() {
    noClasses()
        .that()
        .resideInAPackage("dev.portico.edge.request..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.portico.edge.http..",
            "dev.portico.edge.steps..",
            "dev.portico.edge.guards..",
            "dev.portico.edge.integration..",
            "dev.portico.edge.websocket..",
            "dev.portico.edge.admin..")
        .check(EDGE);
  }

  @Test
  void shouldLetEachPartOfTheRequestStateBeSetByTheStepThatOwnsIt() {
    JavaClass exchange = EDGE.get(Exchange.class);
    Set<String> setters = new TreeSet<>();
    Map<String, Set<String>> wrongCallers = new TreeMap<>();
    for (JavaMethod method : exchange.getMethods()) {
      if (!method.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.PUBLIC)
          || !method.getRawReturnType().getName().equals("void")) {
        continue;
      }
      setters.add(method.getName());
      Set<String> allowed = EXCHANGE_WRITERS.getOrDefault(method.getName(), Set.of());
      for (JavaMethodCall call : method.getCallsOfSelf()) {
        String caller = topLevel(call.getOriginOwner()).getName();
        if (allowed.stream().noneMatch(a -> caller.equals("dev.portico.edge." + a))) {
          wrongCallers.computeIfAbsent(method.getName(), k -> new TreeSet<>()).add(caller);
        }
      }
    }
    // A new setter names its one writer here, or this fails.
    assertEquals(new TreeSet<>(EXCHANGE_WRITERS.keySet()), setters);
    assertTrue(wrongCallers.isEmpty(), "set by a step that does not own it: " + wrongCallers);
  }

  private static JavaClass topLevel(JavaClass c) {
    JavaClass top = c;
    while (top.getEnclosingClass().isPresent()) {
      top = top.getEnclosingClass().get();
    }
    return top;
  }
}
