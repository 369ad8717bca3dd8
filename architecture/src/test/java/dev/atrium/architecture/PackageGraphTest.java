package dev.atrium.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/architecture.md draws each app's package graph as a list, bottom layer first. This test derives the same graph
 * from the compiled classes and requires the two to be equal (a new arrow must be drawn; a drawn arrow must exist), and
 * every arrow to point to a package listed earlier: the order of the list is the layering, so an arrow pointing down the
 * list is an upward dependency or part of a cycle.
 */
class PackageGraphTest {

  private static final Pattern BLOCK = Pattern.compile(
      "<!-- package-graph: ([a-z-]+) -->\\s*```text\\n(.*?)```", Pattern.DOTALL);

  @ParameterizedTest
  @ValueSource(strings = {"control-plane", "data-plane", "console"})
  void documentedGraphIsTheCompiledGraph(String module) throws IOException {
    String root = rootPackageOf(module);
    Map<String, Set<String>> drawn = drawnGraph(module);
    Map<String, Set<String>> compiled = compiledGraph(root);

    assertThat(render(drawn))
        .as("docs/architecture.md's package graph of %s must match the code; the code's graph is:%n%s",
            module, render(compiled))
        .isEqualTo(render(orderedLike(drawn, compiled)));
    assertThat(drawn.keySet()).as("packages drawn for %s", module).containsExactlyInAnyOrderElementsOf(compiled.keySet());
  }

  @ParameterizedTest
  @ValueSource(strings = {"control-plane", "data-plane", "console"})
  void everyArrowPointsDownTheLayers(String module) throws IOException {
    Map<String, Set<String>> drawn = drawnGraph(module);
    List<String> order = new ArrayList<>(drawn.keySet());
    List<String> upward = new ArrayList<>();
    drawn.forEach((from, targets) -> targets.forEach(to -> {
      if (order.indexOf(to) < 0 || order.indexOf(to) >= order.indexOf(from)) {
        upward.add(from + " -> " + to);
      }
    }));
    assertThat(upward).as("arrows of %s that point up the layers or to an unlisted package", module).isEmpty();
  }

  static Map<String, Set<String>> compiledGraph(String root) {
    Map<String, Set<String>> graph = new TreeMap<>();
    for (JavaClass javaClass : AtriumClasses.all()) {
      String from = relative(root, javaClass.getPackageName());
      if (from == null) {
        continue;
      }
      Set<String> targets = graph.computeIfAbsent(from, key -> new TreeSet<>());
      for (Dependency dependency : javaClass.getDirectDependenciesFromSelf()) {
        String to = relative(root, dependency.getTargetClass().getPackageName());
        if (to != null && !to.equals(from)) {
          targets.add(to);
        }
      }
    }
    return graph;
  }

  private static String relative(String root, String packageName) {
    if (packageName.equals(root)) {
      return "(root)";
    }
    return packageName.startsWith(root + ".") ? packageName.substring(root.length() + 1) : null;
  }

  static Map<String, Set<String>> drawnGraph(String module) throws IOException {
    String doc = Files.readString(architectureDoc());
    Matcher matcher = BLOCK.matcher(doc);
    while (matcher.find()) {
      if (matcher.group(1).equals(module)) {
        Map<String, Set<String>> graph = new LinkedHashMap<>();
        for (String line : matcher.group(2).split("\n")) {
          if (line.isBlank()) {
            continue;
          }
          String[] sides = line.split("->", 2);
          Set<String> targets = new TreeSet<>();
          if (sides.length == 2) {
            for (String target : sides[1].trim().split("[,\\s]+")) {
              if (!target.isBlank()) {
                targets.add(target);
              }
            }
          }
          graph.put(sides[0].trim(), targets);
        }
        return graph;
      }
    }
    throw new AssertionError("docs/architecture.md has no <!-- package-graph: " + module + " --> block");
  }

  private static Map<String, Set<String>> orderedLike(Map<String, Set<String>> order, Map<String, Set<String>> graph) {
    Map<String, Set<String>> ordered = new LinkedHashMap<>();
    order.keySet().forEach(key -> {
      if (graph.containsKey(key)) {
        ordered.put(key, graph.get(key));
      }
    });
    graph.forEach(ordered::putIfAbsent);
    return ordered;
  }

  private static String render(Map<String, Set<String>> graph) {
    int width = graph.keySet().stream().mapToInt(String::length).max().orElse(0);
    StringBuilder text = new StringBuilder();
    graph.forEach((from, targets) -> text.append(String.format("%-" + width + "s", from))
        .append(targets.isEmpty() ? "" : " -> " + String.join(", ", targets)).append('\n'));
    return text.toString().replaceAll(" +\n", "\n");
  }

  private static String rootPackageOf(String module) {
    return switch (module) {
      case "control-plane" -> AtriumClasses.CONTROL_PLANE;
      case "data-plane" -> AtriumClasses.DATA_PLANE;
      case "console" -> AtriumClasses.CONSOLE;
      default -> throw new IllegalArgumentException(module);
    };
  }

  private static Path architectureDoc() {
    Path directory = Path.of("").toAbsolutePath();
    while (directory != null) {
      Path doc = directory.resolve("docs/architecture.md");
      if (Files.exists(doc)) {
        return doc;
      }
      directory = directory.getParent();
    }
    throw new AssertionError("docs/architecture.md not found above " + Path.of("").toAbsolutePath());
  }
}
