package dev.atrium.dataplane;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.atrium.dataplane.testing.ControlPlaneTestResource;
import dev.atrium.dataplane.testing.DataPlanePostgresTestResource;
import dev.atrium.dataplane.testing.OpenAiUpstreamSimulation;

/**
 * Meta-annotation of data-plane tests: the application in process on its own real PostgreSQL, the real control plane as a separate
 * process, and the OpenAI upstream simulation; all shared by every test class of the run.
 */
@QuarkusTest
@WithTestResource(value = DataPlanePostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ControlPlaneTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OpenAiUpstreamSimulation.class, scope = TestResourceScope.GLOBAL)
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface DataPlaneStack {
}
