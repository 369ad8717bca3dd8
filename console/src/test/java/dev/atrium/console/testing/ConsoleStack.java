package dev.atrium.console.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** The packaged console with the real Keycloak and control plane around it, shared by all browser tests. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@WithTestResource(value = ConsoleStackTestResource.class, scope = TestResourceScope.GLOBAL)
public @interface ConsoleStack {
}
