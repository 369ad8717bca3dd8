import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load benchmark of the control plane, run by `make bench` (deploy/local/bench.sh) against a freshly started
 * instance: `java ControlPlaneBench.java <base-url> <platform-admin-key> [seconds]`.
 *
 * 1. API-key-authenticated GET /api/v1/tenants/{id} at a fixed 500 requests/s (open loop: latency is measured
 *    from the moment each request was due, so a stalled server cannot hide its queueing; no coordinated omission).
 * 2. The same GET closed-loop with 16 concurrent clients: the throughput ceiling.
 * 3. Audited mutations (PATCH displayName) from 32 clients on 32 tenants: audit appends per second with chain
 *    hashing, then every chain is verified through the API.
 * 4. The same mutations from 8 clients on one tenant: appends to a single chain, which are serialised.
 */
public class ControlPlaneBench {

    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    private static final Pattern SECRET = Pattern.compile("\"secret\":\"(atr_[0-9A-Za-z]+)\"");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(4)).connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String platformKey;

    ControlPlaneBench(String base, String platformKey) {
        this.base = base;
        this.platformKey = platformKey;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: java ControlPlaneBench.java <base-url> <platform-admin-key> [seconds]");
            System.exit(2);
        }
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        String phases = args.length > 3 ? args[3] : "1234";
        new ControlPlaneBench(args[0], args[1]).run(seconds, phases);
    }

    void run(int seconds, String phases) throws Exception {
        String tenant = createTenant("bench-read");
        String tenantKey = createKey(tenant);
        HttpRequest get = request(tenantKey, "/api/v1/tenants/" + tenant).GET().build();

        String warmTenant = createTenant("bench-warm");
        System.out.println("warm-up: 20 s closed loop of reads and audited writes (lets the JIT compile both paths)");
        closedLoop(8, 20, i -> i % 2 == 0 ? get : patch(warmTenant));
        openLoop(500, 10, get); // warms the generator's own asynchronous path too

        if (phases.contains("1")) {
            System.out.printf("%n1. GET /api/v1/tenants/{id}, tenant-admin API key, open loop at 500 req/s for %d s%n", seconds);
            openLoop(500, seconds, get).print();
        }

        HttpRequest unthrottled = request(platformKey, "/api/v1/tenants/" + tenant).GET().build();
        if (phases.contains("2")) {
            System.out.printf("%n2. GET /api/v1/tenants/{id}, closed loop, 16 concurrent clients, %d s "
                    + "(platform key: no plan rate limit)%n", seconds / 2);
            closedLoop(16, seconds / 2, i -> unthrottled).print();
        }

        List<String> tenants = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            tenants.add(createTenant("bench-audit"));
        }
        if (phases.contains("3")) {
            System.out.printf("%n3. PATCH /api/v1/tenants/{id} (one audit append each), 32 clients on 32 tenants, %d s%n", seconds / 2);
            closedLoop(32, seconds / 2, i -> patch(tenants.get(i % tenants.size()))).print();
        }

        if (phases.contains("4")) {
            System.out.printf("%n4. PATCH on one tenant (one chain, appends serialised), 8 clients, %d s%n", seconds / 2);
            closedLoop(8, seconds / 2, i -> patch(tenants.getFirst())).print();
        }

        long start = System.nanoTime();
        int valid = 0;
        long verified = 0;
        for (String t : tenants) {
            String body = http.send(request(platformKey, "/api/v1/audit/verify?tenantId=" + t).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            if (body.contains("\"valid\":true")) {
                valid++;
            }
            Matcher m = Pattern.compile("\"verified\":(\\d+)").matcher(body);
            if (m.find()) {
                verified += Long.parseLong(m.group(1));
            }
        }
        System.out.printf("%nverify: %d/%d chains valid, %d events re-hashed in %.2f s%n", valid, tenants.size(), verified,
                (System.nanoTime() - start) / 1e9);
        System.exit(valid == tenants.size() ? 0 : 1);
    }

    private HttpRequest patch(String tenant) {
        return request(platformKey, "/api/v1/tenants/" + tenant)
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"displayName\":\"Bench " + UUID.randomUUID() + "\"}"))
                .build();
    }

    private Result openLoop(int ratePerSecond, int seconds, HttpRequest request) throws Exception {
        long interval = 1_000_000_000L / ratePerSecond;
        int total = ratePerSecond * seconds;
        long[] latencies = new long[total];
        AtomicLong errors = new AtomicLong();
        List<CompletableFuture<?>> inFlight = new ArrayList<>(total);
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int slot = i;
            inFlight.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, failure) -> {
                latencies[slot] = System.nanoTime() - due;
                if (failure != null || response.statusCode() != 200) {
                    errors.incrementAndGet();
                }
                return null;
            }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
        return new Result(latencies, errors.get(), System.nanoTime() - start);
    }

    private Result closedLoop(int clients, int seconds, java.util.function.IntFunction<HttpRequest> requests) throws Exception {
        ConcurrentLinkedQueue<long[]> perClient = new ConcurrentLinkedQueue<>();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                int client = c;
                pool.submit(() -> {
                    long[] samples = new long[1 << 20];
                    int n = 0;
                    while (System.nanoTime() < end && n < samples.length) {
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<Void> response = http.send(requests.apply(client), HttpResponse.BodyHandlers.discarding());
                            if (response.statusCode() >= 300) {
                                errors.incrementAndGet();
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                        samples[n++] = System.nanoTime() - t0;
                    }
                    perClient.add(Arrays.copyOf(samples, n));
                    return null;
                });
            }
        }
        long elapsed = System.nanoTime() - start;
        long[] all = perClient.stream().flatMapToLong(Arrays::stream).toArray();
        return new Result(all, errors.get(), elapsed);
    }

    private String createTenant(String prefix) throws Exception {
        String slug = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String body = http.send(request(platformKey, "/api/v1/tenants")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"slug\":\"" + slug + "\",\"displayName\":\"" + slug + "\",\"plan\":\"enterprise\"}"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher id = ID.matcher(body);
        if (!id.find()) {
            throw new IllegalStateException("tenant not created: " + body);
        }
        String tenant = id.group(1);
        for (int i = 0; i < 100; i++) {
            String state = http.send(request(platformKey, "/api/v1/tenants/" + tenant).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            if (state.contains("\"status\":\"ACTIVE\"")) {
                return tenant;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("tenant " + tenant + " did not become ACTIVE");
    }

    private String createKey(String tenant) throws Exception {
        String body = http.send(request(platformKey, "/api/v1/tenants/" + tenant + "/api-keys")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\",\"scopes\":[\"admin\"]}"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher secret = SECRET.matcher(body);
        if (!secret.find()) {
            throw new IllegalStateException("key not created: " + body);
        }
        return secret.group(1);
    }

    private HttpRequest.Builder request(String key, String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key);
    }

    record Result(long[] latencies, long errors, long elapsedNanos) {
        void print() {
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            System.out.printf("   requests %d, errors %d, throughput %.0f req/s%n", sorted.length, errors,
                    sorted.length / (elapsedNanos / 1e9));
            System.out.printf("   latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                    pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), pct(sorted, 99.9), sorted[sorted.length - 1] / 1e6);
        }

        private static double pct(long[] sorted, double p) {
            int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
        }
    }
}
