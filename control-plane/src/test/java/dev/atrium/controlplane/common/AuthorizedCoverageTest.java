package dev.atrium.controlplane.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;

import io.quarkus.security.Authenticated;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.auth.Authorized;

/** Guards against an endpoint that forgets authorization: every API resource method must declare its access. */
class AuthorizedCoverageTest {

    @Test
    void everyResourceMethodDeclaresItsAccessLevel() throws Exception {
        List<Class<?>> resources = resourceClasses();
        assertThat(resources).as("resource classes found").hasSizeGreaterThanOrEqualTo(3);
        List<String> unguarded = new ArrayList<>();
        for (Class<?> resource : resources) {
            assertThat(resource.isAnnotationPresent(Authenticated.class)).as(resource + " is @Authenticated").isTrue();
            for (Method method : resource.getDeclaredMethods()) {
                boolean endpoint = Stream.of(GET.class, POST.class, PUT.class, PATCH.class, DELETE.class)
                        .anyMatch(method::isAnnotationPresent);
                if (endpoint && !method.isAnnotationPresent(Authorized.class)) {
                    unguarded.add(resource.getSimpleName() + "." + method.getName());
                }
            }
        }
        assertThat(unguarded).as("endpoints without @Authorized").isEmpty();
    }

    private static List<Class<?>> resourceClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(Authorized.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith("Resource.class")).toList()) {
                String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name);
                if (type.isAnnotationPresent(jakarta.ws.rs.Path.class) && type.getName().startsWith("dev.atrium")) {
                    classes.add(type);
                }
            }
        }
        return classes;
    }
}
