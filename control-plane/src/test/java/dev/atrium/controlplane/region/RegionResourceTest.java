package dev.atrium.controlplane.region;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.apiKey;
import static dev.atrium.controlplane.testing.Api.as;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;

/** Platform admins register, change and retire regions; bad input changes nothing; every change is audited. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class RegionResourceTest {

    private static final String REGIONS = "/api/v1/platform/regions";

    @Inject
    RegionHealthProbe probe;

    @Inject
    RegionService regions;

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, Object> kubernetes() {
        return kubernetes(unique("t") + ".tenants.example.com");
    }

    private static Map<String, Object> kubernetes(String tenantDomain) {
        return Map.of("apiServer", "https://k8s.eu-west.example.com:6443", "credentialsSecret", "k8s-eu-west",
                "namespacePrefix", "atrium", "dataPlaneImage", "registry.example.com/atrium/data-plane:0.1.0", "tenantDomain", tenantDomain,
                "cpuPool", Map.of("nodeSelector", Map.of("pool", "cpu")),
                "gpuPools", List.of(Map.of("name", "a100", "nodeSelector", Map.of("pool", "gpu-a100"),
                        "tolerations", List.of(Map.of("key", "nvidia.com/gpu", "operator", "Exists", "effect", "NoSchedule")),
                        "gpuType", "nvidia-a100-80gb", "gpusPerNode", 8, "gpuMemoryGib", 80, "nodes", 4, "pricePerGpuHour", 3.67)));
    }

    @Test
    void aPlatformAdminRegistersChangesAndRetiresRegions() {
        String name = unique("eu-static");
        asPlatformAdmin().body(Map.of("name", name, "zone", "eu", "endpoint", "http://127.0.0.1:9/", "kind", "static", "schedulable", false))
                .post(REGIONS).then().statusCode(201).header("ETag", "\"0\"")
                .body("name", equalTo(name)).body("zone", equalTo("eu")).body("kind", equalTo("static"))
                .body("endpoint", equalTo("http://127.0.0.1:9")).body("status", equalTo("UNKNOWN"));
        asPlatformAdmin().get(REGIONS).then().statusCode(200).body("name", hasItem(name));

        String gpu = unique("eu-k8s");
        asPlatformAdmin().body(Map.of("name", gpu, "zone", "eu", "endpoint", "http://127.0.0.1:9/eu-k8s", "kind", "kubernetes",
                "kubernetes", kubernetes())).post(REGIONS).then().statusCode(201)
                .body("kubernetes.gpuPools[0].gpuType", equalTo("nvidia-a100-80gb")).body("kubernetes.gpuPools[0].nodes", equalTo(4))
                .body("kubernetes.credentialsSecret", equalTo("k8s-eu-west"));

        asPlatformAdmin().body(Map.of("endpoint", "https://eu-static.example.com")).header("If-Match", "\"0\"")
                .patch(REGIONS + "/" + name).then().statusCode(200).body("endpoint", equalTo("https://eu-static.example.com"))
                .header("ETag", "\"1\"");
        asPlatformAdmin().body(Map.of("endpoint", "https://stale.example.com")).header("If-Match", "\"0\"")
                .patch(REGIONS + "/" + name).then().statusCode(412);
        asPlatformAdmin().delete(REGIONS + "/" + name).then().statusCode(204);
        asPlatformAdmin().get(REGIONS + "/" + name).then().statusCode(404);

        asPlatformAdmin().queryParam("action", "region.update").queryParam("tenantId", "platform").get("/api/v1/audit/events")
                .then().statusCode(200).body("items.resource.id", hasItem(name));
    }

    @Test
    void kubernetesSettingsArePatchedUnderTheSameRulesAsTheyAreCreated() {
        String name = unique("k8s-patch");
        String domain = name + ".tenants.example.com";
        asPlatformAdmin().body(Map.of("name", name, "zone", "eu", "endpoint", "http://127.0.0.1:9/" + name, "kind", "kubernetes",
                "schedulable", false, "kubernetes", kubernetes(domain))).post(REGIONS).then().statusCode(201);
        Map<String, Object> withoutDomain = new java.util.HashMap<>(kubernetes());
        withoutDomain.remove("tenantDomain");
        asPlatformAdmin().body(Map.of("name", unique("k8s-nodomain"), "zone", "eu", "endpoint", "http://127.0.0.1:9/x",
                "kind", "kubernetes", "kubernetes", withoutDomain)).post(REGIONS).then().statusCode(400)
                .contentType("application/problem+json");

        List<Map<String, Object>> bad = List.of(withoutDomain,
                with("tenantDomain", "Tenants.Example.com"), with("tenantDomain", "*.example.com"),
                with("apiServer", "http://insecure.example.com"), with("namespacePrefix", "Upper"),
                with("ingressClassName", "nginx class"));
        for (Map<String, Object> settings : bad) {
            asPlatformAdmin().contentType("application/merge-patch+json").body(Map.of("kubernetes", settings))
                    .patch(REGIONS + "/" + name).then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", org.hamcrest.Matchers.startsWith("kubernetes."));
        }
        asPlatformAdmin().get(REGIONS + "/" + name).then().statusCode(200)
                .body("kubernetes.tenantDomain", equalTo(domain))
                .body("kubernetes.apiServer", equalTo("https://k8s.eu-west.example.com:6443")).header("ETag", "\"0\"");
        asPlatformAdmin().delete(REGIONS + "/" + name).then().statusCode(204);
    }

    @Test
    void noTenantHostCanBeARegionsEndpointOrAnotherRegionsTenantHost() {
        String owner = unique("k8s-owner");
        String domain = owner + ".tenants.example.com";
        asPlatformAdmin().body(Map.of("name", owner, "zone", "eu", "endpoint", "https://data." + owner + ".example.com", "kind",
                "kubernetes", "schedulable", false, "kubernetes", kubernetes(domain))).post(REGIONS).then().statusCode(201);

        // the same tenant domain in a second region: one tenant's host would be two data planes'
        asPlatformAdmin().body(Map.of("name", unique("k8s-twin"), "zone", "eu", "endpoint", "https://x.example.com", "kind",
                "kubernetes", "kubernetes", kubernetes(domain))).post(REGIONS).then().statusCode(409)
                .contentType("application/problem+json");
        // an endpoint under a tenant domain: a tenant with slug "data" would get it
        asPlatformAdmin().body(Map.of("name", unique("static-under"), "zone", "eu", "endpoint", "https://data." + domain, "kind",
                "static", "schedulable", false)).post(REGIONS).then().statusCode(422).body("errors[0].field", equalTo("endpoint"));
        // a tenant domain above a region's endpoint, its own included
        asPlatformAdmin().body(Map.of("name", unique("k8s-above"), "zone", "eu", "endpoint", "https://y.example.com", "kind",
                "kubernetes", "kubernetes", kubernetes(owner + ".example.com"))).post(REGIONS).then().statusCode(422)
                .body("errors[0].field", equalTo("kubernetes.tenantDomain"));
        asPlatformAdmin().body(Map.of("endpoint", "https://api." + domain)).patch(REGIONS + "/" + owner).then().statusCode(422);
        // labels longer than DNS allows
        asPlatformAdmin().body(Map.of("name", unique("k8s-long"), "zone", "eu", "endpoint", "https://z.example.com", "kind",
                "kubernetes", "kubernetes", kubernetes("a".repeat(64) + ".example.com"))).post(REGIONS).then().statusCode(400);

        asPlatformAdmin().get(REGIONS + "/" + owner).then().statusCode(200).body("endpoint", equalTo("https://data." + owner + ".example.com"))
                .header("ETag", "\"0\"");
        asPlatformAdmin().delete(REGIONS + "/" + owner).then().statusCode(204);
    }

    @Test
    void aRegionStoredBeforeTenantDomainsExistedCanStillBeCordonedAndMustGetOneWhenItsSettingsChange() throws Exception {
        String name = unique("k8s-old");
        try (java.sql.Connection connection = dev.atrium.controlplane.testing.Api.ownerConnection();
             java.sql.PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO region (name, zone, endpoint, kind, kubernetes, schedulable, created_at, updated_at)
                     VALUES (?, 'eu', 'http://127.0.0.1:9/old', 'kubernetes', CAST(? AS jsonb), false, now(), now())""")) {
            insert.setString(1, name);
            insert.setString(2, "{\"apiServer\": \"https://k8s.old.example.com\", \"credentialsSecret\": \"old\","
                    + " \"namespacePrefix\": \"atrium\", \"dataPlaneImage\": \"registry.example.com/dp:0.1\"}");
            insert.executeUpdate();
        }
        asPlatformAdmin().body(Map.of("schedulable", true)).patch(REGIONS + "/" + name).then().statusCode(200)
                .body("schedulable", equalTo(true));
        Map<String, Object> withoutDomain = new java.util.HashMap<>(kubernetes());
        withoutDomain.remove("tenantDomain");
        asPlatformAdmin().body(Map.of("kubernetes", withoutDomain)).patch(REGIONS + "/" + name).then().statusCode(400)
                .body("errors[0].field", equalTo("kubernetes.tenantDomain"));
        asPlatformAdmin().body(Map.of("kubernetes", kubernetes(name + ".tenants.example.com"))).patch(REGIONS + "/" + name)
                .then().statusCode(200).body("kubernetes.tenantDomain", equalTo(name + ".tenants.example.com"));
        asPlatformAdmin().delete(REGIONS + "/" + name).then().statusCode(204);
    }

    private static Map<String, Object> with(String field, Object value) {
        Map<String, Object> settings = new java.util.HashMap<>(kubernetes());
        settings.put(field, value);
        return settings;
    }

    @Test
    void badRegionsAreRefusedAndNothingIsRegistered() {
        String name = unique("bad");
        asPlatformAdmin().body(Map.of("name", name, "zone", "eu", "endpoint", "http://127.0.0.1:9", "kind", "static", "schedulable", false))
                .post(REGIONS).then().statusCode(201);
        asPlatformAdmin().body(Map.of("name", name, "zone", "eu", "endpoint", "http://127.0.0.1:9", "kind", "static", "schedulable", false))
                .post(REGIONS).then().statusCode(409).contentType("application/problem+json");

        List<Map<String, Object>> bad = List.of(
                Map.of("name", "Not_A_Name", "zone", "eu", "endpoint", "http://x.example.com", "kind", "static", "schedulable", false),
                Map.of("name", unique("r"), "zone", "mars", "endpoint", "http://x.example.com", "kind", "static", "schedulable", false),
                Map.of("name", unique("r"), "zone", "eu", "endpoint", "http://user:secret@x.example.com", "kind", "static", "schedulable", false),
                Map.of("name", unique("r"), "zone", "eu", "endpoint", "file:///etc/passwd", "kind", "static", "schedulable", false),
                Map.of("name", unique("r"), "zone", "eu", "endpoint", "http://x.example.com", "kind", "kubernetes"),
                Map.of("name", unique("r"), "zone", "eu", "endpoint", "http://x.example.com", "kind", "static", "kubernetes", kubernetes()),
                Map.of("name", unique("r"), "zone", "eu", "endpoint", "http://x.example.com", "kind", "kubernetes",
                        "kubernetes", Map.of("apiServer", "http://insecure.example.com", "credentialsSecret", "s", "namespacePrefix", "a",
                                "dataPlaneImage", "i")),
                Map.of("name", unique("r"), "zone", "eu", "endpoint", "x".repeat(600), "kind", "static", "schedulable", false),
                Map.of("name", unique("r"), "zone", "eu", "endpoint", "http://x.example.com", "kind", "bare-metal"));
        for (Map<String, Object> body : bad) {
            int status = asPlatformAdmin().body(body).post(REGIONS).then().contentType("application/problem+json").extract().statusCode();
            assertThat(status).as("refusal of %s", body).isIn(400, 422);
        }
        asPlatformAdmin().get(REGIONS).then().statusCode(200).body("name", not(hasItem("Not_A_Name")))
                .body("zone", not(hasItem("mars")));

        asPlatformAdmin().body(Map.of("zone", "us")).patch(REGIONS + "/" + name).then().statusCode(400)
                .body("detail", containsString("fixed"));
        asPlatformAdmin().body(Map.of("kubernetes", kubernetes())).patch(REGIONS + "/" + name).then().statusCode(400);
        asPlatformAdmin().get(REGIONS + "/" + name).then().statusCode(200).body("zone", equalTo("eu")).body("kubernetes", equalTo(null));
    }

    @Test
    void onlyPlatformAdminsManageRegions() {
        TestTenant tenant = activeTenant("regions-key");
        String admin = apiKey(tenant, "admin");
        as(admin).get(REGIONS).then().statusCode(403);
        as(admin).body(Map.of("name", unique("r"), "zone", "eu", "endpoint", "http://x.example.com", "kind", "static", "schedulable", false))
                .post(REGIONS).then().statusCode(403);
    }

    @Test
    void aRegionWithTenantsCannotBeRetired() {
        TestTenant tenant = activeTenant("regions-placed");
        String primary = asPlatformAdmin().get("/api/v1/tenants/" + tenant.id() + "/placement").then().statusCode(200)
                .extract().path("primary.name");
        asPlatformAdmin().delete(REGIONS + "/" + primary).then().statusCode(409)
                .body("detail", containsString("placed in region"));
        asPlatformAdmin().get(REGIONS + "/" + primary).then().statusCode(200);
    }

    @Test
    void theProbeRecordsWhetherTheRegionsDataPlaneIsReady() throws IOException {
        HttpServer dataPlane = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        dataPlane.createContext("/q/health/ready", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        dataPlane.start();
        String name = unique("probed");
        try {
            asPlatformAdmin().body(Map.of("name", name, "zone", "us", "endpoint", "http://127.0.0.1:" + dataPlane.getAddress().getPort(),
                    "kind", "static", "schedulable", false)).post(REGIONS).then().statusCode(201);

            assertThat(probe.probe(regions.get(name))).isEqualTo(Region.HEALTHY);
            asPlatformAdmin().get(REGIONS + "/" + name).then().body("status", equalTo("HEALTHY")).body("probedAt", org.hamcrest.Matchers.notNullValue());
        } finally {
            dataPlane.stop(0);
        }
        assertThat(probe.probe(regions.get(name))).isEqualTo(Region.UNHEALTHY);
        asPlatformAdmin().get(REGIONS + "/" + name).then().body("status", equalTo("UNHEALTHY"))
                .body("statusDetail", containsString("unreachable"));
        asPlatformAdmin().delete(REGIONS + "/" + name).then().statusCode(204);
    }
}
