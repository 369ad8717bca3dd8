package dev.atrium.controlplane.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The manifests of each plan case are the reviewed golden files under
 * {@code control-plane/src/test/resources/provisioning/golden/}, byte for byte. After an intended change to
 * {@link TenantManifests}, regenerate them and review the diff like code:
 *
 * <pre>
 * ./mvnw -B -o -pl control-plane -am test -Dtest=GoldenManifestsTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -DskipITs -Datrium.golden.update=true
 * </pre>
 *
 * No Kubernetes API server is involved: this is the pure rendering. {@code KubernetesTenantProvisionerTest} checks that
 * what lands in the API server SIMULATION equals the same files.
 */
class GoldenManifestsTest {

    static final Path GOLDEN = Path.of("src/test/resources/provisioning/golden");

    @Test
    void standardPlanWithoutGpu() throws IOException {
        assertMatchesGolden("standard.yaml", ManifestYaml.render(TenantManifests.render(Fixtures.standard())));
    }

    @Test
    void enterprisePlanWithGpuPool() throws IOException {
        assertMatchesGolden("enterprise-gpu.yaml", ManifestYaml.render(TenantManifests.render(Fixtures.enterprise())));
    }

    @Test
    void selfHostedModelServersOnGpuPools() throws IOException {
        assertMatchesGolden("enterprise-model-servers.yaml", ManifestYaml.render(TenantManifests.render(Fixtures.withModelServers(false))));
        assertMatchesGolden("enterprise-model-server-at-zero.yaml",
                ManifestYaml.render(TenantManifests.render(Fixtures.withModelServers(true))));
    }

    @Test
    void renderingIsDeterministic() {
        assertThat(ManifestYaml.render(TenantManifests.render(Fixtures.enterprise())))
                .isEqualTo(ManifestYaml.render(TenantManifests.render(Fixtures.enterprise())));
    }

    /** What the API server SIMULATION stores must be the golden file itself; it is never regenerated from it. */
    static void assertMatchesStored(String file, String stored) throws IOException {
        assertThat(stored).isEqualTo(Files.readString(GOLDEN.resolve(file), StandardCharsets.UTF_8));
    }

    static void assertMatchesGolden(String file, String rendered) throws IOException {
        Path golden = GOLDEN.resolve(file);
        if (Boolean.getBoolean("atrium.golden.update")) {
            Files.writeString(golden, rendered, StandardCharsets.UTF_8);
        }
        assertThat(golden).as("golden file %s (regenerate with -Datrium.golden.update=true)", golden).exists();
        assertThat(rendered).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
}
