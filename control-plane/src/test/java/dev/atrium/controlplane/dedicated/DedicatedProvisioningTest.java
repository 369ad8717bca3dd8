package dev.atrium.controlplane.dedicated;

import static dev.atrium.controlplane.testing.Api.activeTenant;
import static dev.atrium.controlplane.testing.Api.asPlatformAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.atrium.controlplane.provisioning.KubernetesApiSimulation;
import dev.atrium.controlplane.provisioning.TenantManifests;
import dev.atrium.controlplane.testing.Api.TestTenant;
import dev.atrium.controlplane.testing.Api;
import dev.atrium.controlplane.testing.DataPlaneSimulation;
import dev.atrium.controlplane.testing.EmbeddedPostgresTestResource;
import dev.atrium.controlplane.testing.KeycloakTestResource;

/**
 * Dedicated tenants provisioned end to end: placement, platform secret, desired state in PostgreSQL, the reconciler,
 * conditions in the API and the audit trail. The Kubernetes API servers are {@link KubernetesApiSimulation}s, a
 * SIMULATION (Fabric8's mock API server in CRUD mode, with server-side apply added): a Kubernetes API server cannot run
 * here. The regions are registered with {@code "schedulable": false} and tenants are moved there with PUT placement,
 * so no other test's tenant is ever placed in them.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeycloakTestResource.class, scope = TestResourceScope.GLOBAL)
class DedicatedProvisioningTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private final List<TestTenant> dedicated = new ArrayList<>();

    /**
     * Moves every tenant a test made dedicated back to the static region test-eu-1 while the simulations still run, and
     * waits until its namespace rows are gone, so that nothing keeps reconciling against a closed simulation.
     */
    @AfterEach
    void close() throws Exception {
        try {
            for (TestTenant tenant : dedicated) {
                if ("ACTIVE".equals(asPlatformAdmin().get(tenant.path()).path("status"))) {
                    asPlatformAdmin().body(Map.of("primary", "test-eu-1")).put(tenant.path() + "/placement").then().statusCode(200);
                }
            }
            for (TestTenant tenant : dedicated) {
                await().atMost(WAIT).until(() -> rows(tenant) == 0);
            }
        } finally {
            for (AutoCloseable closeable : closeLater.reversed()) {
                closeable.close();
            }
        }
    }

    @Test
    void aStandardTenantInAKubernetesRegionGetsItsNamespaceAndIsAudited() throws Exception {
        KubernetesApiSimulation simulation = simulation();
        String token = canary();
        String region = kubernetesRegion("eu", credentials(kubeconfig(simulation.url(), token)));
        TestTenant tenant = activeTenant("dedicated");

        move(tenant, region);

        awaitCondition(tenant, "Ready");
        List<GenericKubernetesResource> objects = objectsOf(simulation, tenant);
        assertThat(objects).extracting(GenericKubernetesResource::getKind)
                .contains("Namespace", "Deployment", "ResourceQuota", "LimitRange", "NetworkPolicy", "Secret", "Cluster");
        assertThat(objects).filteredOn(o -> o.getKind().equals("Namespace")).singleElement()
                .satisfies(ns -> assertThat(ns.getMetadata().getName()).isEqualTo("atrium-" + tenant.slug()));
        GenericKubernetesResource deployment = objects.stream().filter(o -> o.getKind().equals("Deployment")).findFirst().orElseThrow();
        assertThat(deployment.getMetadata().getNamespace()).isEqualTo("atrium-" + tenant.slug());
        assertThat(String.valueOf(deployment.getAdditionalProperties().get("spec")))
                .contains("registry.example.com/atrium/data-plane:0.1.0");

        JsonPath placement = asPlatformAdmin().get(tenant.path() + "/placement").then().statusCode(200).extract().jsonPath();
        assertThat(placement.getString("tier")).isEqualTo("dedicated");
        assertThat(placement.getString("primary.tier")).isEqualTo("dedicated");
        assertThat(placement.getString("primary.kind")).isEqualTo("kubernetes");
        assertThat(placement.getString("primary.provisioning.namespace")).isEqualTo("atrium-" + tenant.slug());
        assertThat(placement.getString("primary.provisioning.reason")).isEqualTo("UpToDate");
        // its requests go to its own data plane, through its host on the region's ingress
        String endpoint = "https://" + tenant.slug() + "." + region + ".tenants.example.com";
        assertThat(placement.getString("primary.endpoint")).isEqualTo(endpoint);
        assertThat(objects).filteredOn(o -> o.getKind().equals("Ingress")).singleElement().satisfies(ingress ->
                assertThat(String.valueOf(ingress.getAdditionalProperties().get("spec"))).contains(tenant.slug() + "." + region + ".tenants.example.com"));
        // and data planes learn it: the region's shared data plane refuses the tenant and names that endpoint
        Api.as(Api.serviceKey("test-eu-1", null)).body(Map.of("key", Api.apiKey(tenant, "rag:query")))
                .post("/internal/v1/api-keys:introspect").then().statusCode(200)
                .body("regions[0].name", equalTo(region)).body("regions[0].dedicated", equalTo(true))
                .body("regions[0].endpoint", equalTo(endpoint));

        JsonPath provisioned = events(tenant, "tenant.provision");
        assertThat(provisioned.getList("items.outcome")).contains("SUCCESS");
        assertThat(provisioned.getString("items[0].after.region")).isEqualTo(region);
        assertThat(provisioned.getList("items[0].after.changes", String.class)).anyMatch(c -> c.startsWith("Deployment/"));
        // the data plane's service key is bound to the tenant and region, issued once and kept in the secret store
        assertThat(events(tenant, "service-key.create").getList("items")).hasSize(1);
        asPlatformAdmin().get(tenant.path() + "/secrets").then().statusCode(200)
                .body("items.name", org.hamcrest.Matchers.hasItem("dedicated." + region + ".service-key"));
        // no data plane reads them through the internal API, not even one bound to the tenant in that region
        Api.as(Api.serviceKey(region, tenant.id())).get("/internal/v1/tenants/" + tenant.id() + "/secrets/dedicated." + region
                + ".service-key").then().statusCode(404);
        assertThat(row(tenant, region)).isEqualTo("Ready");
        assertNoLeak(tenant, token);

        // the namespaces' names hang on the prefix: it cannot change under a placed tenant
        Map<String, Object> renamed = Map.of("kubernetes", Map.of("apiServer", "https://k8s." + region + ".example.com:6443",
                "credentialsSecret", "whatever", "namespacePrefix", "other",
                "dataPlaneImage", "registry.example.com/atrium/data-plane:0.1.0", "tenantDomain", region + ".tenants.example.com"));
        asPlatformAdmin().contentType("application/merge-patch+json").body(renamed).patch("/api/v1/platform/regions/" + region)
                .then().statusCode(409).contentType("application/problem+json");
        asPlatformAdmin().get("/api/v1/platform/regions/" + region).then().body("kubernetes.namespacePrefix", equalTo("atrium"))
                .body("kubernetes.credentialsSecret", org.hamcrest.Matchers.not(equalTo("whatever")));
    }

    @Test
    void aSelfHostedDeploymentRunsOnTheRegionsGpuPoolScalesToZeroWakesOnDemandAndGoesWithIt() throws Exception {
        KubernetesApiSimulation simulation = simulation();
        String region = "k8s-" + UUID.randomUUID().toString().substring(0, 8);
        asPlatformAdmin().body(Map.of("name", region, "zone", "eu", "endpoint", "http://127.0.0.1:9/" + region, "kind", "kubernetes",
                        "schedulable", false, "kubernetes", Map.of("apiServer", "https://k8s." + region + ".example.com:6443",
                                "credentialsSecret", credentials(kubeconfig(simulation.url(), canary())), "namespacePrefix", "atrium",
                                "dataPlaneImage", "registry.example.com/atrium/data-plane:0.1.0", "tenantDomain", region + ".tenants.example.com",
                                "modelServerImage", "registry.example.com/vllm/vllm-openai:v0.8.5",
                                "gpuPools", List.of(
                                        Map.of("name", "l4", "nodeSelector", Map.of("atrium.dev/gpu-pool", "l4"), "gpuType", "nvidia-l4",
                                                "gpusPerNode", 4, "gpuMemoryGib", 24, "nodes", 2, "pricePerGpuHour", 0.8,
                                                "tolerations", List.of(Map.of("key", "nvidia.com/gpu", "operator", "Exists", "effect", "NoSchedule"))),
                                        Map.of("name", "a10g-shared", "nodeSelector", Map.of("atrium.dev/gpu-pool", "a10g"), "gpuType", "nvidia-a10g",
                                                "gpusPerNode", 1, "gpuMemoryGib", 24, "nodes", 1, "pricePerGpuHour", 1.2, "sharesPerGpu", 4)))))
                .post("/api/v1/platform/regions").then().statusCode(201);
        TestTenant tenant = activeTenant("self-hosted");
        TestTenant pooled = activeTenant("self-hosted-pooled");
        for (TestTenant each : List.of(tenant, pooled)) {
            String models = each.path() + "/models";
            asPlatformAdmin().body(Map.of("name", "support-llm", "type", "llm")).post(models).then().statusCode(201);
            asPlatformAdmin().body(dev.atrium.controlplane.model.ModelCards.version("1", dev.atrium.controlplane.model.ModelCards.complete()))
                    .post(models + "/support-llm/versions").then().statusCode(201);
            asPlatformAdmin().post(models + "/support-llm/versions/1:submit").then().statusCode(200);
            Api.as(dev.atrium.controlplane.testing.Users.complianceOfficer(each)).body(Map.of("comment", "reviewed"))
                    .post(models + "/support-llm/versions/1:approve").then().statusCode(200);
        }
        move(tenant, region);
        awaitCondition(tenant, "Ready");
        String deployments = tenant.path() + "/deployments";
        String admin = Api.apiKey(tenant, "admin");

        // where it can run is checked against the tenant's regions: the pool, whole or shared GPUs, a dedicated tenant
        List<Map<String, Object>> refused = List.of(selfHosted("bad-pool", Map.of("gpuPool", "h100")),
                selfHosted("half-l4", Map.of("gpuPool", "l4", "gpus", 0.5)),
                selfHosted("third-a10g", Map.of("gpuPool", "a10g-shared", "gpus", 0.3)),
                selfHosted("too-big", Map.of("gpuPool", "l4", "gpus", 8)),
                selfHosted("inverted", Map.of("gpuPool", "l4", "minReplicas", 3, "maxReplicas", 2)));
        for (Map<String, Object> body : refused) {
            Api.as(admin).body(body).post(deployments).then().statusCode(422).contentType("application/problem+json");
        }
        Api.as(Api.apiKey(pooled, "admin")).body(selfHosted("pooled", Map.of("gpuPool", "l4"))).post(pooled.path() + "/deployments")
                .then().statusCode(422).body("errors[0].field", equalTo("kind"));
        Api.as(admin).body(selfHosted("quarter", Map.of("gpuPool", "a10g-shared", "gpus", 0.25, "minReplicas", 1)))
                .post(deployments).then().statusCode(201).body("selfHosted.gpus", equalTo(0.25f));
        Api.as(admin).delete(deployments + "/quarter").then().statusCode(204);

        Api.as(admin).body(selfHosted("support-bot", Map.of("gpuPool", "l4", "minReplicas", 0, "maxReplicas", 2, "idleMinutes", 5)))
                .post(deployments).then().statusCode(201).body("kind", equalTo("self-hosted")).body("upstream", equalTo(null));
        String server = dev.atrium.controlplane.provisioning.TenantNamespaceSpec.ModelServer.objectName("support-bot");
        String namespace = "atrium-" + tenant.slug();
        // never asked for and allowed to rest at zero: there, with no autoscaler, until a request comes
        await().atMost(WAIT).until(() -> replicas(simulation, namespace, server) == 0);
        await().atMost(WAIT).until(() -> "ScaledToZero".equals(Api.as(admin).get(deployments + "/support-bot")
                .path("servers[0].state")));
        var pod = simulation.client().apps().deployments().inNamespace(namespace).withName(server).get().getSpec().getTemplate().getSpec();
        assertThat(pod.getNodeSelector()).isEqualTo(Map.of("atrium.dev/gpu-pool", "l4"));
        assertThat(pod.getContainers().getFirst().getImage()).isEqualTo("registry.example.com/vllm/vllm-openai:v0.8.5");
        assertThat(pod.getContainers().getFirst().getArgs()).containsSequence("--model", "acme/support-llm@1");
        assertThat(pod.getContainers().getFirst().getResources().getLimits().get("nvidia.com/gpu").getAmount()).isEqualTo("1");
        assertThat(simulation.client().resourceQuotas().inNamespace(namespace).withName(TenantManifests.QUOTA).get().getSpec()
                .getHard().get("requests.nvidia.com/gpu").getAmount()).as("room for its 2 replicas and a rolling update's").isEqualTo("3");
        // its tenant's data plane is told where it is: the server's Service in the tenant's namespace
        String dataPlane = Api.serviceKey(region, tenant.id());
        Api.as(dataPlane).get("/internal/v1/tenants/" + tenant.id() + "/deployments").then().statusCode(200)
                .body("[0].kind", equalTo("self-hosted")).body("[0].url", equalTo("http://" + server + "/v1"))
                .body("[0].upstreamModel", equalTo("support-bot"));

        // a request arrives at the data plane, which says so: the server starts
        Api.as(dataPlane).post("/internal/v1/tenants/" + tenant.id() + "/deployments/support-bot:demand").then().statusCode(204);
        await().atMost(WAIT).until(() -> replicas(simulation, namespace, server) == 1);
        await().atMost(WAIT).until(() -> "Ready".equals(Api.as(admin).get(deployments + "/support-bot").path("servers[0].state")));
        assertThat(simulation.client().autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace).withName(server).get()
                .getSpec().getMaxReplicas()).isEqualTo(2);
        // the platform admin sees the pool's capacity and what runs on it
        JsonPath pools = asPlatformAdmin().get("/api/v1/platform/gpu-pools").then().statusCode(200).extract().jsonPath();
        String l4 = "items.find { it.region == '" + region + "' && it.name == 'l4' }";
        assertThat(pools.getInt(l4 + ".capacityGpus")).isEqualTo(8);
        assertThat(pools.getDouble(l4 + ".allocatedGpus")).isEqualTo(1.0);
        assertThat(pools.getDouble(l4 + ".maxGpus")).isEqualTo(2.0);
        assertThat(pools.getString(l4 + ".servers[0].deployment")).isEqualTo("support-bot");
        assertThat(pools.getString(l4 + ".servers[0].tenantSlug")).isEqualTo(tenant.slug());
        assertThat(pools.getInt("items.find { it.region == '" + region + "' && it.name == 'a10g-shared' }.sharesPerGpu")).isEqualTo(4);
        Api.as(admin).get("/api/v1/platform/gpu-pools").then().statusCode(403);
        Api.as(dataPlane).post("/internal/v1/tenants/" + tenant.id() + "/deployments/nothing:demand").then().statusCode(404);
        Api.as(Api.serviceKey(region, pooled.id())).post("/internal/v1/tenants/" + tenant.id() + "/deployments/support-bot:demand")
                .then().statusCode(404);

        // idle past its time (the clock moved by rewriting its last demand): back to zero at the next sync
        try (Connection owner = Api.ownerConnection();
             PreparedStatement rewind = owner.prepareStatement("UPDATE model_deployment SET last_demand_at = now() - interval '6 minutes' "
                     + "WHERE owner = ? AND name = 'support-bot'")) {
            rewind.setString(1, tenant.id().toString());
            assertThat(rewind.executeUpdate()).isEqualTo(1);
        }
        await().atMost(WAIT).until(() -> replicas(simulation, namespace, server) == 0);
        // in the same pass, after the Deployment: its autoscaler goes
        await().atMost(WAIT).until(() ->
                simulation.client().autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace).withName(server).get() == null);

        // deprecating its version drains it, even while it is asked for; deleting the deployment removes its server
        Api.as(dataPlane).post("/internal/v1/tenants/" + tenant.id() + "/deployments/support-bot:demand").then().statusCode(204);
        await().atMost(WAIT).until(() -> replicas(simulation, namespace, server) == 1);
        Api.as(admin).post(tenant.path() + "/models/support-llm/versions/1:deprecate").then().statusCode(200);
        await().atMost(WAIT).until(() -> replicas(simulation, namespace, server) == 0);
        Api.as(admin).delete(deployments + "/support-bot").then().statusCode(204);
        await().atMost(WAIT).until(() -> simulation.client().apps().deployments().inNamespace(namespace).withName(server).get() == null
                && simulation.client().services().inNamespace(namespace).withName(server).get() == null);
        assertThat(simulation.client().apps().deployments().inNamespace(namespace).withName(TenantManifests.DATA_PLANE).get())
                .as("the tenant's data plane stays").isNotNull();
        assertThat(events(tenant, "deployment.create").getList("items")).hasSize(2);
    }

    @Test
    void aPlatformSelfHostedDeploymentRunsInTheRegionsSharedServingNamespaceForEveryTenantThere() throws Exception {
        KubernetesApiSimulation simulation = simulation();
        // the region whose shared data plane has an operator-configured key (and answers, simulated, at its endpoint)
        String region = EmbeddedPostgresTestResource.KUBERNETES_REGION;
        // a pool name no other test's region has: where a platform deployment may run is every region with it
        String pool = "shared-" + UUID.randomUUID().toString().substring(0, 8);
        String model = "platform-llm-" + UUID.randomUUID().toString().substring(0, 6);
        String name = "shared-chat-" + UUID.randomUUID().toString().substring(0, 6);
        asPlatformAdmin().body(Map.of("name", model, "type", "llm")).post("/api/v1/platform/models").then().statusCode(201);
        asPlatformAdmin().body(dev.atrium.controlplane.model.ModelCards.version("1", dev.atrium.controlplane.model.ModelCards.complete()))
                .post("/api/v1/platform/models/" + model + "/versions").then().statusCode(201);
        asPlatformAdmin().post("/api/v1/platform/models/" + model + "/versions/1:submit").then().statusCode(200);
        Api.as(dev.atrium.controlplane.testing.Users.platformComplianceOfficer().token()).body(Map.of("comment", "reviewed"))
                .post("/api/v1/platform/models/" + model + "/versions/1:approve").then().statusCode(200);
        Map<String, Object> deployment = Map.of("name", name, "model", model, "version", "1", "kind", "self-hosted",
                "selfHosted", Map.of("gpuPool", pool, "gpus", 0.5, "minReplicas", 0, "maxReplicas", 3, "idleMinutes", 5));

        // no region has the pool yet: refused, nothing stored
        asPlatformAdmin().body(deployment).post("/api/v1/platform/deployments").then().statusCode(422)
                .contentType("application/problem+json").body("errors[0].field", equalTo("selfHosted.gpuPool"));
        Map<String, Object> gpuPool = Map.of("name", pool, "nodeSelector", Map.of("atrium.dev/gpu-pool", "a10g"), "gpuType", "nvidia-a10g",
                "gpusPerNode", 1, "gpuMemoryGib", 24, "nodes", 2, "pricePerGpuHour", 1.2, "sharesPerGpu", 2);
        Map<String, Object> kubernetes = new java.util.HashMap<>(Map.of("apiServer", "https://k8s." + region + ".example.com:6443",
                "credentialsSecret", credentials(kubeconfig(simulation.url(), canary())), "namespacePrefix", "atrium",
                "dataPlaneImage", "registry.example.com/atrium/data-plane:0.1.0", "tenantDomain", region + ".tenants.example.com",
                "gpuPools", List.of(gpuPool)));
        upsertRegion(region, kubernetes);
        // the region has the pool but does not say where its shared data plane runs: still nowhere to run it
        asPlatformAdmin().body(deployment).post("/api/v1/platform/deployments").then().statusCode(422)
                .body("errors[0].field", equalTo("selfHosted.gpuPool"));
        kubernetes.put("sharedDataPlaneNamespace", "Not A Label");
        asPlatformAdmin().contentType("application/merge-patch+json").body(Map.of("kubernetes", kubernetes))
                .patch("/api/v1/platform/regions/" + region).then().statusCode(400).contentType("application/problem+json");
        kubernetes.put("sharedDataPlaneNamespace", "atrium-shared");
        asPlatformAdmin().contentType("application/merge-patch+json").body(Map.of("kubernetes", kubernetes))
                .patch("/api/v1/platform/regions/" + region).then().statusCode(200)
                .body("kubernetes.sharedDataPlaneNamespace", equalTo("atrium-shared"));

        asPlatformAdmin().body(deployment).post("/api/v1/platform/deployments").then().statusCode(201)
                .body("kind", equalTo("self-hosted")).body("selfHosted.gpus", equalTo(0.5f));
        String server = dev.atrium.controlplane.provisioning.TenantNamespaceSpec.ModelServer.objectName(name);
        try {
            // never asked for and allowed to rest at zero, in the region's shared serving namespace
            await().atMost(WAIT).until(() -> replicas(simulation, "atrium-platform", server) == 0);
            await().atMost(WAIT).until(() -> "ScaledToZero".equals(asPlatformAdmin().get("/api/v1/platform/deployments/" + name)
                    .path("servers[0].state")));
            var pod = simulation.client().apps().deployments().inNamespace("atrium-platform").withName(server).get().getSpec()
                    .getTemplate().getSpec();
            assertThat(pod.getContainers().getFirst().getResources().getLimits().get("nvidia.com/gpu").getAmount())
                    .as("half a GPU on a pool sharing each GPU two ways").isEqualTo("1");
            assertThat(simulation.client().namespaces().withName("atrium-platform").get().getMetadata().getLabels())
                    .containsEntry("atrium.dev/role", "platform-serving");

            // a pooled tenant placed there is served by the region's shared data plane, which is told where the server is
            TestTenant free = activeTenant("platform-served", "free");
            move(free, region);
            String shared = Api.serviceKey(region, null);
            String url = "http://" + server + ".atrium-platform.svc/v1";
            Api.as(shared).get("/internal/v1/tenants/" + free.id() + "/deployments").then().statusCode(200)
                    .body("find { it.name == '" + name + "' }.url", equalTo(url))
                    .body("find { it.name == '" + name + "' }.platform", equalTo(true))
                    .body("find { it.name == '" + name + "' }.apiKeySecret", equalTo(null));
            // a data plane of a region that does not run it is not told of it
            TestTenant elsewhere = activeTenant("platform-not-here");
            Api.as(Api.serviceKey("test-eu-1", null)).get("/internal/v1/tenants/" + elsewhere.id() + "/deployments").then()
                    .statusCode(200).body("name", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(name)));

            // a request for it wakes it
            Api.as(shared).post("/internal/v1/tenants/" + free.id() + "/deployments/" + name + ":demand").then().statusCode(204);
            await().atMost(WAIT).until(() -> replicas(simulation, "atrium-platform", server) == 1);
            await().atMost(WAIT).until(() -> "Ready".equals(asPlatformAdmin().get("/api/v1/platform/deployments/" + name)
                    .path("servers[0].state")));
            JsonPath pools = asPlatformAdmin().get("/api/v1/platform/gpu-pools").then().statusCode(200).extract().jsonPath();
            String onPool = "items.find { it.region == '" + region + "' && it.name == '" + pool + "' }";
            assertThat(pools.getString(onPool + ".servers[0].deployment")).isEqualTo(name);
            assertThat(pools.getString(onPool + ".servers[0].tenantSlug")).as("the platform's own server").isNull();
            assertThat(pools.getDouble(onPool + ".allocatedGpus")).isEqualTo(0.5);
            // a tenant can neither see nor touch the platform's deployment through its own API
            Api.as(Api.apiKey(free, "admin")).get("/api/v1/platform/deployments/" + name).then().statusCode(403);
            Api.as(Api.apiKey(free, "admin")).delete(free.path() + "/deployments/" + name).then().statusCode(404);
            // the namespace's name hangs on the region's prefix: it cannot change while the platform's servers run there
            Map<String, Object> renamed = new java.util.HashMap<>(kubernetes);
            renamed.put("namespacePrefix", "other");
            asPlatformAdmin().contentType("application/merge-patch+json").body(Map.of("kubernetes", renamed))
                    .patch("/api/v1/platform/regions/" + region).then().statusCode(409)
                    .body("detail", org.hamcrest.Matchers.containsString("shared serving namespace"));
            // a dedicated tenant there reaches them from its own data plane: its namespace may call them, by name
            TestTenant dedicatedTenant = activeTenant("platform-served-dedicated");
            move(dedicatedTenant, region);
            awaitCondition(dedicatedTenant, "Ready");
            String tenantNamespace = "atrium-" + dedicatedTenant.slug();
            assertThat(simulation.client().network().v1().networkPolicies().inNamespace(tenantNamespace)
                    .withName("data-plane-to-platform-models").get().getSpec().getEgress().getFirst().getTo().getFirst()
                    .getNamespaceSelector().getMatchLabels()).isEqualTo(Map.of("kubernetes.io/metadata.name", "atrium-platform"));
            await().atMost(WAIT).until(() -> String.valueOf(simulation.client().network().v1().networkPolicies().inNamespace("atrium-platform")
                    .withName("model-servers-from-data-planes").get().getSpec().getIngress().getFirst().getFrom()).contains(tenantNamespace));
            Api.as(Api.serviceKey(region, dedicatedTenant.id())).get("/internal/v1/tenants/" + dedicatedTenant.id() + "/deployments")
                    .then().statusCode(200).body("find { it.name == '" + name + "' }.url", equalTo(url));
        } finally {
            asPlatformAdmin().delete("/api/v1/platform/deployments/" + name).then().statusCode(204);
        }
        // its server goes, and with the last one the shared serving namespace
        await().atMost(WAIT).until(() -> simulation.client().namespaces().withName("atrium-platform").get() == null);
        await().atMost(WAIT).until(() -> platformServingRows(region) == 0);
    }

    /** Creates the region, or (another test made it) points it at this test's simulation with these settings. */
    private static void upsertRegion(String region, Map<String, Object> kubernetes) {
        String endpoint = ConfigProvider.getConfig().getValue(EmbeddedPostgresTestResource.KUBERNETES_ENDPOINT_PROPERTY, String.class);
        if (asPlatformAdmin().get("/api/v1/platform/regions/" + region).statusCode() == 404) {
            asPlatformAdmin().body(Map.of("name", region, "zone", "eu", "endpoint", endpoint, "kind", "kubernetes",
                    "schedulable", false, "kubernetes", kubernetes)).post("/api/v1/platform/regions").then().statusCode(201);
        } else {
            asPlatformAdmin().contentType("application/merge-patch+json").body(Map.of("kubernetes", kubernetes))
                    .patch("/api/v1/platform/regions/" + region).then().statusCode(200);
        }
    }

    private static int platformServingRows(String region) throws java.sql.SQLException {
        try (Connection connection = Api.ownerConnection();
             PreparedStatement query = connection.prepareStatement("SELECT count(*) AS n FROM platform_serving WHERE region = ?")) {
            query.setString(1, region);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt("n");
            }
        }
    }

    @Test
    void aSelfHostedRolloutRunsItsCandidateOnASecondServerAndPromotionHandsItTheTrafficWithoutARestart() throws Exception {
        KubernetesApiSimulation simulation = simulation();
        String region = "k8s-" + UUID.randomUUID().toString().substring(0, 8);
        asPlatformAdmin().body(Map.of("name", region, "zone", "eu", "endpoint", "http://127.0.0.1:9/" + region, "kind", "kubernetes",
                        "schedulable", false, "kubernetes", Map.of("apiServer", "https://k8s." + region + ".example.com:6443",
                                "credentialsSecret", credentials(kubeconfig(simulation.url(), canary())), "namespacePrefix", "atrium",
                                "dataPlaneImage", "registry.example.com/atrium/data-plane:0.1.0", "tenantDomain", region + ".tenants.example.com",
                                "gpuPools", List.of(Map.of("name", "l4", "nodeSelector", Map.of("atrium.dev/gpu-pool", "l4"), "gpuType", "nvidia-l4",
                                        "gpusPerNode", 4, "gpuMemoryGib", 24, "nodes", 2, "pricePerGpuHour", 0.8)))))
                .post("/api/v1/platform/regions").then().statusCode(201);
        TestTenant tenant = activeTenant("self-hosted-rollout");
        String models = tenant.path() + "/models";
        asPlatformAdmin().body(Map.of("name", "support-llm", "type", "llm")).post(models).then().statusCode(201);
        for (String version : List.of("1", "2")) {
            asPlatformAdmin().body(dev.atrium.controlplane.model.ModelCards.version(version, dev.atrium.controlplane.model.ModelCards.complete()))
                    .post(models + "/support-llm/versions").then().statusCode(201);
            asPlatformAdmin().post(models + "/support-llm/versions/" + version + ":submit").then().statusCode(200);
            Api.as(dev.atrium.controlplane.testing.Users.complianceOfficer(tenant)).body(Map.of("comment", "reviewed"))
                    .post(models + "/support-llm/versions/" + version + ":approve").then().statusCode(200);
        }
        move(tenant, region);
        awaitCondition(tenant, "Ready");
        String admin = Api.apiKey(tenant, "admin");
        String deployment = tenant.path() + "/deployments/support-bot";
        Api.as(admin).body(selfHosted("support-bot", Map.of("gpuPool", "l4", "minReplicas", 1, "maxReplicas", 2)))
                .post(tenant.path() + "/deployments").then().statusCode(201);
        String namespace = "atrium-" + tenant.slug();
        String slotA = "model-support-bot";
        String slotB = "model2-support-bot";
        await().atMost(WAIT).until(() -> "Ready".equals(Api.as(admin).get(deployment).path("servers[0].state")));
        String dataPlane = Api.serviceKey(region, tenant.id());
        String listing = "/internal/v1/tenants/" + tenant.id() + "/deployments";

        // a self-hosted deployment's candidate takes no backend: it gets a model server of its own
        Api.as(admin).body(Map.of("version", "2", "strategy", "canary", "upstream", Map.of("url", "https://203.0.113.40/v1")))
                .post(deployment + "/rollout").then().statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("upstream"));
        assertThat(simulation.client().apps().deployments().inNamespace(namespace).withName(slotB).get()).isNull();
        // the cluster's controllers stall: the candidate's server will exist but not become Ready
        simulation.workloads(KubernetesApiSimulation.Workloads.STOPPED);
        Api.as(admin).body(Map.of("version", "2", "strategy", "canary",
                        "steps", List.of(Map.of("weight", 10, "dwellSeconds", 600), Map.of("weight", 100, "dwellSeconds", 600))))
                .post(deployment + "/rollout").then().statusCode(201).body("rollout.upstream", equalTo(null));
        await().atMost(WAIT).until(() -> simulation.client().apps().deployments().inNamespace(namespace).withName(slotB).get() != null
                && "Starting".equals(Api.as(admin).get(deployment).path("servers.find { it.role == 'candidate' }.state")));
        // while it loads: no data plane sends it traffic, and it cannot be promoted (its region would lose the model)
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                Api.as(Api.serviceKey(region, tenant.id())).get("/internal/v1/tenants/" + tenant.id() + "/deployments")
                        .path("[0].rollout") == null);
        Api.as(admin).post(deployment + "/rollout:promote").then().statusCode(409).contentType("application/problem+json");
        simulation.workloads(KubernetesApiSimulation.Workloads.HEALTHY);

        // the candidate's server starts in the other slot, on the same pool, loading version 2; the quota makes room
        await().atMost(WAIT).until(() -> replicas(simulation, namespace, slotB) == 1);
        var candidatePod = simulation.client().apps().deployments().inNamespace(namespace).withName(slotB).get().getSpec().getTemplate().getSpec();
        assertThat(candidatePod.getContainers().getFirst().getArgs()).containsSequence("--model", "acme/support-llm@2")
                .containsSequence("--served-model-name", "support-bot");
        assertThat(candidatePod.getNodeSelector()).isEqualTo(Map.of("atrium.dev/gpu-pool", "l4"));
        assertThat(simulation.client().resourceQuotas().inNamespace(namespace).withName(TenantManifests.QUOTA).get().getSpec()
                .getHard().get("requests.nvidia.com/gpu").getAmount()).as("two servers of at most 2 replicas, each with a surge one")
                .isEqualTo("6");
        await().atMost(WAIT).until(() -> "Ready".equals(Api.as(admin).get(deployment)
                .path("servers.find { it.role == 'candidate' }.state")));
        JsonPath servers = Api.as(admin).get(deployment).then().statusCode(200).extract().jsonPath();
        assertThat(servers.getString("servers.find { it.role == 'stable' }.server")).isEqualTo(slotA);
        assertThat(servers.getString("servers.find { it.role == 'candidate' }.server")).isEqualTo(slotB);
        // the tenant's data plane is told of the candidate once its server is Ready there
        await().atMost(WAIT).until(() -> Api.as(dataPlane).get(listing).path("[0].rollout") != null);
        Api.as(dataPlane).get(listing).then().statusCode(200)
                .body("[0].url", equalTo("http://" + slotA + "/v1")).body("[0].version", equalTo("1"))
                .body("[0].rollout.url", equalTo("http://" + slotB + "/v1")).body("[0].rollout.version", equalTo("2"))
                .body("[0].rollout.weight", equalTo(10)).body("[0].rollout.apiKeySecret", equalTo(null));
        Long candidateGeneration = simulation.client().apps().deployments().inNamespace(namespace).withName(slotB).get()
                .getMetadata().getGeneration();

        // promoted: the warm candidate serves the deployment, unchanged (no restart), and the old version's server goes
        Api.as(admin).post(deployment + "/rollout:promote").then().statusCode(200).body("rollout.state", equalTo("PROMOTED"));
        Api.as(dataPlane).get(listing).then().statusCode(200).body("[0].version", equalTo("2"))
                .body("[0].url", equalTo("http://" + slotB + "/v1")).body("[0].rollout", equalTo(null));
        await().atMost(WAIT).until(() -> simulation.client().apps().deployments().inNamespace(namespace).withName(slotA).get() == null);
        var promoted = simulation.client().apps().deployments().inNamespace(namespace).withName(slotB).get();
        assertThat(promoted.getMetadata().getGeneration()).as("the promoted server was not rolled").isEqualTo(candidateGeneration);
        assertThat(promoted.getSpec().getTemplate().getSpec().getContainers().getFirst().getArgs()).containsSequence("--model", "acme/support-llm@2");
        Api.as(admin).get(deployment).then().statusCode(200).body("version", equalTo("2"))
                .body("selfHosted.gpuPool", equalTo("l4")).body("kind", equalTo("self-hosted"));

        // a rollout back to version 1 starts its server in the now free slot a; rolling it back removes that server only
        Api.as(admin).body(Map.of("version", "1", "strategy", "shadow")).post(deployment + "/rollout").then().statusCode(201);
        await().atMost(WAIT).until(() -> replicas(simulation, namespace, slotA) == 1);
        Api.as(admin).body(Map.of("reason", "not needed")).post(deployment + "/rollout:rollback").then().statusCode(200)
                .body("rollout.state", equalTo("ROLLED_BACK"));
        await().atMost(WAIT).until(() -> simulation.client().apps().deployments().inNamespace(namespace).withName(slotA).get() == null);
        assertThat(replicas(simulation, namespace, slotB)).as("the serving server stays").isEqualTo(1);
        Api.as(dataPlane).get(listing).then().statusCode(200).body("[0].url", equalTo("http://" + slotB + "/v1"))
                .body("[0].rollout", equalTo(null));

        // deleting the deployment in the middle of a rollout removes both servers
        Api.as(admin).body(Map.of("version", "1", "strategy", "canary")).post(deployment + "/rollout").then().statusCode(201);
        await().atMost(WAIT).until(() -> replicas(simulation, namespace, slotA) == 1);
        Api.as(admin).delete(deployment).then().statusCode(204);
        await().atMost(WAIT).until(() -> simulation.client().apps().deployments().inNamespace(namespace).withName(slotA).get() == null
                && simulation.client().apps().deployments().inNamespace(namespace).withName(slotB).get() == null);
        assertThat(events(tenant, "deployment.rollout.promote").getList("items")).hasSize(1);

        // an embedding model is self-hosted the same way, its server started for embeddings
        asPlatformAdmin().body(Map.of("name", "support-embed", "type", "embedding")).post(models).then().statusCode(201);
        asPlatformAdmin().body(dev.atrium.controlplane.model.ModelCards.version("1", dev.atrium.controlplane.model.ModelCards.complete()))
                .post(models + "/support-embed/versions").then().statusCode(201);
        asPlatformAdmin().post(models + "/support-embed/versions/1:submit").then().statusCode(200);
        Api.as(dev.atrium.controlplane.testing.Users.complianceOfficer(tenant)).body(Map.of("comment", "reviewed"))
                .post(models + "/support-embed/versions/1:approve").then().statusCode(200);
        Api.as(admin).body(Map.of("name", "embedder", "model", "support-embed", "version", "1", "kind", "self-hosted",
                "selfHosted", Map.of("gpuPool", "l4"))).post(tenant.path() + "/deployments").then().statusCode(201);
        await().atMost(WAIT).until(() -> replicas(simulation, namespace, "model-embedder") == 1);
        assertThat(simulation.client().apps().deployments().inNamespace(namespace).withName("model-embedder").get().getSpec()
                .getTemplate().getSpec().getContainers().getFirst().getArgs()).containsSequence("--task", "embed");
        Api.as(dataPlane).get(listing).then().statusCode(200).body("find { it.name == 'embedder' }.type", equalTo("embedding"))
                .body("find { it.name == 'embedder' }.url", equalTo("http://model-embedder/v1"));
        Api.as(admin).body(Map.of("version", "1", "strategy", "canary")).post(tenant.path() + "/deployments/embedder/rollout")
                .then().statusCode(422);
        Api.as(admin).delete(tenant.path() + "/deployments/embedder").then().statusCode(204);
    }

    private static Map<String, Object> selfHosted(String name, Map<String, Object> settings) {
        return Map.of("name", name, "model", "support-llm", "version", "1", "kind", "self-hosted", "selfHosted", settings);
    }

    private static int replicas(KubernetesApiSimulation simulation, String namespace, String name) {
        var deployment = simulation.client().apps().deployments().inNamespace(namespace).withName(name).get();
        return deployment == null || deployment.getSpec().getReplicas() == null ? -1 : deployment.getSpec().getReplicas();
    }

    @Test
    void aTenantWhosePlanBecomesFreeIsPooledAndItsNamespaceRemoved() throws Exception {
        KubernetesApiSimulation simulation = simulation();
        String region = kubernetesRegion("eu", credentials(kubeconfig(simulation.url(), canary())));
        TestTenant tenant = activeTenant("dedicated-downgraded");
        move(tenant, region);
        awaitCondition(tenant, "Ready");

        asPlatformAdmin().contentType("application/merge-patch+json").body(Map.of("plan", "free")).patch(tenant.path())
                .then().statusCode(200);

        await().atMost(WAIT).until(() -> namespaces(simulation, tenant).isEmpty() && row(tenant, region) == null);
        asPlatformAdmin().get(tenant.path() + "/placement").then().body("tier", equalTo("pooled"))
                .body("primary.provisioning", equalTo(null));
        assertThat(events(tenant, "tenant.deprovision").getList("items.outcome")).containsExactly("SUCCESS");
    }

    @Test
    void aDedicatedTenantsStandbyRegionIsProvisionedTooAndRemovedWhenItIsDropped() throws Exception {
        KubernetesApiSimulation primarySimulation = simulation();
        KubernetesApiSimulation standbySimulation = simulation();
        String primary = kubernetesRegion("eu", credentials(kubeconfig(primarySimulation.url(), canary())));
        String standby = kubernetesRegion("eu", credentials(kubeconfig(standbySimulation.url(), canary())));
        TestTenant tenant = activeTenant("dedicated-standby");
        dedicated.add(tenant);

        asPlatformAdmin().body(Map.of("primary", primary, "standbys", List.of(standby))).put(tenant.path() + "/placement")
                .then().statusCode(200);

        awaitCondition(tenant, "Ready");
        await().atMost(WAIT).until(() -> "Ready".equals(row(tenant, standby)));
        assertThat(namespaces(standbySimulation, tenant)).containsExactly("atrium-" + tenant.slug());
        JsonPath placement = asPlatformAdmin().get(tenant.path() + "/placement").then().statusCode(200).extract().jsonPath();
        assertThat(placement.getString("standbys[0].tier")).isEqualTo("dedicated");
        assertThat(placement.getString("standbys[0].provisioning.condition")).isEqualTo("Ready");
        assertThat(placement.getString("standbys[0].endpoint")).isEqualTo("https://" + tenant.slug() + "." + standby + ".tenants.example.com");
        // each region's data plane has a service key of its own, bound to that region
        assertThat(events(tenant, "service-key.create").getList("items.after.region", String.class))
                .containsExactlyInAnyOrder(primary, standby);

        asPlatformAdmin().body(Map.of("primary", primary)).put(tenant.path() + "/placement").then().statusCode(200);

        await().atMost(WAIT).until(() -> namespaces(standbySimulation, tenant).isEmpty() && row(tenant, standby) == null);
        assertThat(objectsOf(standbySimulation, tenant)).isEmpty();
        assertThat(namespaces(primarySimulation, tenant)).containsExactly("atrium-" + tenant.slug());
        assertThat(row(tenant, primary)).isEqualTo("Ready");
        assertThat(events(tenant, "tenant.deprovision").getList("items.after.region", String.class)).containsExactly(standby);
    }

    @Test
    void aFreeTenantInAKubernetesRegionIsPooledAndGetsNothing() throws Exception {
        KubernetesApiSimulation simulation = simulation();
        String region = kubernetesRegion("eu", credentials(kubeconfig(simulation.url(), canary())));
        TestTenant free = activeTenant("pooled", "free");
        TestTenant standard = activeTenant("dedicated-witness");

        move(free, region);
        move(standard, region);
        // the standard tenant, placed after the free one, is Ready: a sync has run since the free tenant was placed
        awaitCondition(standard, "Ready");

        assertThat(objectsOf(simulation, free)).isEmpty();
        asPlatformAdmin().get(free.path() + "/placement").then().statusCode(200).body("tier", equalTo("pooled"))
                .body("primary.tier", equalTo("pooled")).body("primary.provisioning", equalTo(null));
        assertThat(row(free, region)).isNull();
        assertThat(events(free, "tenant.provision").getList("items")).isEmpty();
        assertThat(events(free, "service-key.create").getList("items")).isEmpty();
    }

    @Test
    void aMovedTenantIsProvisionedInItsNewRegionAndRemovedFromTheOldOne() throws Exception {
        KubernetesApiSimulation first = simulation();
        KubernetesApiSimulation second = simulation();
        String from = kubernetesRegion("eu", credentials(kubeconfig(first.url(), canary())));
        String to = kubernetesRegion("eu", credentials(kubeconfig(second.url(), canary())));
        TestTenant tenant = activeTenant("dedicated-moved");
        move(tenant, from);
        awaitCondition(tenant, "Ready");
        assertThat(namespaces(first, tenant)).containsExactly("atrium-" + tenant.slug());

        asPlatformAdmin().body(Map.of("primary", to)).put(tenant.path() + "/placement").then().statusCode(200);

        await().atMost(WAIT).until(() -> namespaces(second, tenant).size() == 1 && namespaces(first, tenant).isEmpty()
                && row(tenant, from) == null);
        awaitCondition(tenant, "Ready");
        asPlatformAdmin().get(tenant.path() + "/placement").then().body("primary.name", equalTo(to))
                .body("primary.provisioning.condition", equalTo("Ready"));
        assertThat(objectsOf(first, tenant)).isEmpty();
        JsonPath removed = events(tenant, "tenant.deprovision");
        assertThat(removed.getList("items.outcome")).containsExactly("SUCCESS");
        assertThat(removed.getString("items[0].after.region")).isEqualTo(from);
        assertThat(events(tenant, "tenant.provision").getList("items.after.region")).contains(from, to);
        // the old namespace's credentials go with it: its service key revoked, its secrets destroyed
        await().atMost(WAIT).until(() -> !events(tenant, "service-key.revoke").getList("items").isEmpty());
        assertThat(events(tenant, "service-key.revoke").getString("items[0].after.region")).isEqualTo(from);
        List<String> secrets = asPlatformAdmin().get(tenant.path() + "/secrets").then().statusCode(200).extract().jsonPath()
                .getList("items.name");
        assertThat(secrets).contains("dedicated." + to + ".service-key").noneMatch(name -> name.startsWith("dedicated." + from + "."));
    }

    @Test
    void aTenantMovedToARegionWithoutCredentialsKeepsItsOldNamespaceUntilTheNewOneCanBeApplied() throws Exception {
        KubernetesApiSimulation first = simulation();
        KubernetesApiSimulation second = simulation();
        String from = kubernetesRegion("eu", credentials(kubeconfig(first.url(), canary())));
        String pendingSecret = "later-" + UUID.randomUUID().toString().substring(0, 8);
        String to = kubernetesRegion("eu", pendingSecret);
        TestTenant tenant = activeTenant("dedicated-waiting");
        move(tenant, from);
        awaitCondition(tenant, "Ready");

        asPlatformAdmin().body(Map.of("primary", to)).put(tenant.path() + "/placement").then().statusCode(200);
        awaitCondition(tenant, "Degraded");
        // the old region holds no placement now, but its namespace is still there: it cannot be retired yet
        asPlatformAdmin().delete("/api/v1/platform/regions/" + from).then().statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("namespace"));
        // a witness placed in the old region afterwards is Ready: a sync has run since the move
        TestTenant witness = activeTenant("dedicated-witness");
        move(witness, from);
        awaitCondition(witness, "Ready");
        assertThat(namespaces(first, tenant)).containsExactly("atrium-" + tenant.slug());
        assertThat(row(tenant, from)).isEqualTo("Ready");
        assertThat(events(tenant, "tenant.deprovision").getList("items")).isEmpty();

        asPlatformAdmin().body(Map.of("value", kubeconfig(second.url(), canary()))).put("/api/v1/platform/secrets/" + pendingSecret)
                .then().statusCode(201);
        await().atMost(WAIT).until(() -> namespaces(second, tenant).size() == 1 && namespaces(first, tenant).isEmpty()
                && row(tenant, from) == null);
        awaitCondition(tenant, "Ready");
        assertThat(namespaces(first, witness)).containsExactly("atrium-" + witness.slug());
    }

    @Test
    void deletingADedicatedTenantRemovesItsNamespaceBeforeTheChainCloses() throws Exception {
        KubernetesApiSimulation simulation = simulation();
        // the region's shared data plane (simulated, with its operator-configured key) answers at its endpoint: it is
        // erased too
        String region = EmbeddedPostgresTestResource.KUBERNETES_REGION;
        upsertRegion(region, Map.of("apiServer", "https://k8s." + region + ".example.com:6443",
                "credentialsSecret", credentials(kubeconfig(simulation.url(), canary())), "namespacePrefix", "atrium",
                "dataPlaneImage", "registry.example.com/atrium/data-plane:0.1.0", "tenantDomain", region + ".tenants.example.com"));
        TestTenant tenant = activeTenant("dedicated-deleted");
        move(tenant, region);
        awaitCondition(tenant, "Ready");
        // its own data plane has taken over: the region's shared data plane reads none of its data any more
        Api.as(Api.serviceKey(region, null)).get("/internal/v1/tenants/" + tenant.id() + "/servable-models").then().statusCode(404);
        Api.as(Api.serviceKey("test-eu-1", null)).get("/internal/v1/tenants/" + tenant.id() + "/servable-models").then()
                .statusCode(404);

        asPlatformAdmin().post(tenant.path() + ":suspend").then().statusCode(200);
        asPlatformAdmin().delete(tenant.path()).then().statusCode(202);

        await().atMost(WAIT).until(() -> "DELETED".equals(asPlatformAdmin().get(tenant.path()).path("status")));
        assertThat(objectsOf(simulation, tenant)).isEmpty();
        assertThat(row(tenant, region)).isNull();
        JsonPath trail = asPlatformAdmin().queryParam("tenantId", tenant.id().toString()).queryParam("limit", 200)
                .get("/api/v1/audit/events").then().statusCode(200).extract().jsonPath();
        List<String> actions = trail.getList("items.action");
        // newest first: the removal and the erasure of both regions come before the chain is closed
        assertThat(actions).contains("tenant.deprovision", "tenant.erase");
        assertThat(actions.indexOf("tenant.delete.complete")).isLessThan(actions.indexOf("tenant.deprovision"));
        assertThat(trail.getList("items.findAll { it.action == 'tenant.erase' }.after.region")).contains(region, "test-eu-1");
        assertThat(trail.getString("items.find { it.action == 'tenant.erase' && it.after.region == '" + region + "' }.after.namespace"))
                .isEqualTo("removed");
        assertThat(DataPlaneSimulation.COMMANDS).anyMatch(command -> command.tenantId().equals(tenant.id())
                && command.region().equals(region) && command.verdict().contains("\"valid\":true"));
        asPlatformAdmin().get("/api/v1/audit/verify?tenantId=" + tenant.id()).then().statusCode(200).body("valid", equalTo(true));
    }

    @Test
    void anUnreachableApiServerOrAMissingSecretIsDegradedWithAReasonAndLeaksNothing() throws Exception {
        String token = canary();
        String unreachableSecret = credentials(kubeconfig("http://127.0.0.1:" + closedPort(), token));
        String unreachable = kubernetesRegion("eu", unreachableSecret);
        String missingSecret = "missing-" + UUID.randomUUID().toString().substring(0, 8);
        String missing = kubernetesRegion("eu", missingSecret);
        // a region naming a secret the platform generated for itself gets nothing of it (it would be sent as a token)
        String pepper = kubernetesRegion("eu", "api-key-pepper");
        TestTenant down = activeTenant("dedicated-down");
        TestTenant orphan = activeTenant("dedicated-nocreds");
        TestTenant stolen = activeTenant("dedicated-pepper");

        move(down, unreachable);
        move(orphan, missing);
        move(stolen, pepper);
        awaitCondition(stolen, "Degraded");
        asPlatformAdmin().get(stolen.path() + "/placement").then().body("primary.provisioning.reason", equalTo("CredentialsSecretMissing"));
        // given real credentials, the region recovers (and the tenant can be cleaned up after the test)
        asPlatformAdmin().body(Map.of("kubernetes", Map.of("apiServer", "https://k8s." + pepper + ".example.com:6443",
                        "credentialsSecret", credentials(kubeconfig(simulation().url(), token)), "namespacePrefix", "atrium",
                        "dataPlaneImage", "registry.example.com/atrium/data-plane:0.1.0", "tenantDomain", pepper + ".tenants.example.com")))
                .patch("/api/v1/platform/regions/" + pepper).then().statusCode(200);
        awaitCondition(stolen, "Ready");

        awaitCondition(down, "Degraded");
        awaitCondition(orphan, "Degraded");
        asPlatformAdmin().get(down.path() + "/placement").then().body("primary.provisioning.reason", equalTo("ApiServerUnreachable"));
        asPlatformAdmin().get(orphan.path() + "/placement").then()
                .body("primary.provisioning.reason", equalTo("CredentialsSecretMissing"))
                .body("primary.provisioning.message", org.hamcrest.Matchers.containsString("does not exist"));
        JsonPath failures = events(down, "tenant.provision");
        assertThat(failures.getList("items.outcome")).isNotEmpty().doesNotContain("SUCCESS");
        assertThat(events(orphan, "tenant.provision").getString("items[0].detail")).startsWith("CredentialsSecretMissing");
        assertNoLeak(down, token);

        // once the credentials are stored (or point at a reachable API server), both recover without another request
        KubernetesApiSimulation simulation = simulation();
        asPlatformAdmin().body(Map.of("value", kubeconfig(simulation.url(), token))).put("/api/v1/platform/secrets/" + missingSecret)
                .then().statusCode(201);
        asPlatformAdmin().body(Map.of("value", kubeconfig(simulation.url(), token))).put("/api/v1/platform/secrets/" + unreachableSecret)
                .then().statusCode(200);
        awaitCondition(down, "Ready");
        awaitCondition(orphan, "Ready");
        assertThat(namespaces(simulation, down)).containsExactly("atrium-" + down.slug());
        assertThat(namespaces(simulation, orphan)).containsExactly("atrium-" + orphan.slug());
        assertNoLeak(down, token);
    }

    @Test
    void platformSecretsAreForPlatformAdminsAndTheirValuesNeverComeBack() throws Exception {
        String name = "k8s-" + UUID.randomUUID().toString().substring(0, 8);
        String value = canary();
        TestTenant tenant = activeTenant("secret-outsider");
        String tenantAdmin = Api.apiKey(tenant, "admin");

        Api.as(tenantAdmin).body(Map.of("value", value)).put("/api/v1/platform/secrets/" + name).then().statusCode(403);
        Api.as(tenantAdmin).get("/api/v1/platform/secrets").then().statusCode(403);

        String created = asPlatformAdmin().body(Map.of("value", value)).put("/api/v1/platform/secrets/" + name)
                .then().statusCode(201).body("version", equalTo(1)).extract().asString();
        String updated = asPlatformAdmin().body(Map.of("value", value + "-2")).put("/api/v1/platform/secrets/" + name)
                .then().statusCode(200).body("version", equalTo(2)).extract().asString();
        String listed = asPlatformAdmin().get("/api/v1/platform/secrets").then().statusCode(200)
                .body("items.find { it.name == '" + name + "' }.version", equalTo(2)).extract().asString();
        assertThat(created + updated + listed).doesNotContain(value);

        asPlatformAdmin().body(Map.of("value", "x")).put("/api/v1/platform/secrets/bad..name").then().statusCode(400)
                .contentType("application/problem+json");
        asPlatformAdmin().body(Map.of("value", "x")).put("/api/v1/platform/secrets/" + "n".repeat(101)).then().statusCode(400)
                .contentType("application/problem+json");
        asPlatformAdmin().body(Map.of("value", "v".repeat(65_537))).put("/api/v1/platform/secrets/" + name).then().statusCode(400)
                .contentType("application/problem+json").body("status", equalTo(400));
        asPlatformAdmin().body(Map.of("value", "")).put("/api/v1/platform/secrets/" + name).then().statusCode(400);
        asPlatformAdmin().get("/api/v1/platform/secrets").then().body("items.find { it.name == '" + name + "' }.version", equalTo(2));
        // a secret the platform generated for itself is not the operator's to change
        asPlatformAdmin().body(Map.of("value", "mine")).put("/api/v1/platform/secrets/api-key-pepper").then().statusCode(409);
        asPlatformAdmin().delete("/api/v1/platform/secrets/api-key-pepper").then().statusCode(409);

        Api.as(tenantAdmin).delete("/api/v1/platform/secrets/" + name).then().statusCode(403);
        asPlatformAdmin().delete("/api/v1/platform/secrets/" + name).then().statusCode(204);
        asPlatformAdmin().delete("/api/v1/platform/secrets/" + name).then().statusCode(404);
        asPlatformAdmin().get("/api/v1/platform/secrets").then().body("items.name", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(name)));

        String put = asPlatformAdmin().queryParam("action", "secret.platform.put").queryParam("limit", 200)
                .get("/api/v1/audit/events").then().statusCode(200).extract().asString();
        String deleted = asPlatformAdmin().queryParam("action", "secret.platform.delete").queryParam("limit", 200)
                .get("/api/v1/audit/events").then().statusCode(200).extract().asString();
        assertThat(JsonPath.from(put).getList("items.resource.id")).contains(name);
        assertThat(JsonPath.from(put).getList("items.findAll { it.resource.id == '" + name + "' }")).hasSize(2);
        assertThat(JsonPath.from(deleted).getList("items.resource.id")).contains(name);
        assertThat(put + deleted).doesNotContain(value);
    }

    // helpers

    private KubernetesApiSimulation simulation() {
        KubernetesApiSimulation simulation = new KubernetesApiSimulation();
        closeLater.add(simulation);
        return simulation;
    }

    /** A credential that looks real, so that a leak would be found by searching for it. */
    private static String canary() {
        return "sim-token-LEAKCANARY-" + UUID.randomUUID().toString().replace("-", "");
    }

    private static String kubeconfig(String server, String token) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: simulation
                  cluster:
                    server: %s
                contexts:
                - name: simulation
                  context:
                    cluster: simulation
                    user: atrium
                current-context: simulation
                users:
                - name: atrium
                  user:
                    token: %s
                """.formatted(server, token);
    }

    /** Stores the credentials as a platform secret and returns its name. */
    private static String credentials(String value) {
        String name = "k8s-" + UUID.randomUUID().toString().substring(0, 8);
        asPlatformAdmin().body(Map.of("value", value)).put("/api/v1/platform/secrets/" + name).then().statusCode(201);
        return name;
    }

    private static String kubernetesRegion(String zone, String credentialsSecret) {
        String name = "k8s-" + UUID.randomUUID().toString().substring(0, 8);
        return kubernetesRegion(name, zone, credentialsSecret, "http://127.0.0.1:9/" + name);
    }

    private static String kubernetesRegion(String name, String zone, String credentialsSecret, String endpoint) {
        asPlatformAdmin().body(Map.of("name", name, "zone", zone, "endpoint", endpoint, "kind", "kubernetes",
                        "schedulable", false, "kubernetes", Map.of("apiServer", "https://k8s." + name + ".example.com:6443",
                                "credentialsSecret", credentialsSecret, "namespacePrefix", "atrium",
                                "dataPlaneImage", "registry.example.com/atrium/data-plane:0.1.0", "tenantDomain", name + ".tenants.example.com")))
                .post("/api/v1/platform/regions").then().statusCode(201);
        return name;
    }

    private void move(TestTenant tenant, String region) {
        dedicated.add(tenant);
        asPlatformAdmin().body(Map.of("primary", region)).put(tenant.path() + "/placement").then().statusCode(200)
                .body("primary.name", equalTo(region));
    }

    private static void awaitCondition(TestTenant tenant, String condition) {
        await().atMost(WAIT).until(() -> condition.equals(asPlatformAdmin().get(tenant.path() + "/placement")
                .path("primary.provisioning.condition")));
    }

    private static List<GenericKubernetesResource> objectsOf(KubernetesApiSimulation simulation, TestTenant tenant) {
        return simulation.storedObjects().stream().filter(o -> o.getMetadata().getLabels() != null
                && tenant.id().toString().equals(o.getMetadata().getLabels().get(TenantManifests.TENANT_LABEL))).toList();
    }

    private static List<String> namespaces(KubernetesApiSimulation simulation, TestTenant tenant) {
        return objectsOf(simulation, tenant).stream().filter(o -> o.getKind().equals("Namespace"))
                .map(o -> o.getMetadata().getName()).toList();
    }

    private static JsonPath events(TestTenant tenant, String action) {
        return asPlatformAdmin().queryParam("tenantId", tenant.id().toString()).queryParam("action", action).queryParam("limit", 100)
                .get("/api/v1/audit/events").then().statusCode(200).extract().jsonPath();
    }

    private static int rows(TestTenant tenant) throws java.sql.SQLException {
        try (Connection connection = Api.ownerConnection();
             PreparedStatement query = connection.prepareStatement("SELECT count(*) AS n FROM tenant_namespace WHERE tenant_id = ?")) {
            query.setObject(1, tenant.id());
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt("n");
            }
        }
    }

    /** The condition stored in tenant_namespace, or null without a row. */
    private static String row(TestTenant tenant, String region) throws java.sql.SQLException {
        try (Connection connection = Api.ownerConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT condition FROM tenant_namespace WHERE tenant_id = ? AND region = ?")) {
            query.setObject(1, tenant.id());
            query.setString(2, region);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getString("condition") : null;
            }
        }
    }

    private static void assertNoLeak(TestTenant tenant, String token) {
        String responses = asPlatformAdmin().get(tenant.path() + "/placement").then().extract().asString()
                + asPlatformAdmin().queryParam("tenantId", tenant.id().toString()).queryParam("limit", 200)
                .get("/api/v1/audit/events").then().statusCode(200).extract().asString()
                + asPlatformAdmin().get("/api/v1/platform/secrets").then().extract().asString()
                + asPlatformAdmin().get("/api/v1/platform/regions").then().extract().asString();
        assertThat(responses).doesNotContain(token).doesNotContain("LEAKCANARY");
        java.nio.file.Path log = java.nio.file.Path.of("target", "quarkus-test.log");
        try {
            assertThat(java.nio.file.Files.exists(log) ? java.nio.file.Files.readString(log) : "").doesNotContain(token);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
