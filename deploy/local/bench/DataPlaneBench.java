import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load benchmark of a data plane, through HTTP with API-key auth (load generator on the same machine):
 * (1) ingest: documents of ten ~100-word paragraphs (about 20 chunks of up to 128 tokens) until the knowledge base
 *     holds CHUNKS chunks -> chunks/s;
 * (2) hybrid query (query embedding + kNN + BM25 + RRF): one client, 50 closed-loop clients, and open loop at fixed rates;
 * (3) OpenAI-compatible proxy overhead: the same chat completion sent straight to a local upstream and through the
 *     data plane, one at a time.
 * Usage: DataPlaneBench <control-plane-url> <platform-key> <data-plane-url> <upstream-url> <chunks> <seconds>
 */
public class DataPlaneBench {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Executors.newFixedThreadPool(64)).build();
    static final Random RANDOM = new Random(42);
    static final String[] WORDS = vocabulary(3000);

    public static void main(String[] args) throws Exception {
        String cp = args[0], platform = args[1], dp = args[2], upstream = args[3];
        int chunks = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);

        String tenant = field(post(cp + "/api/v1/tenants", platform, "{\"slug\":\"bench-" + System.nanoTime() % 100000 + "\",\"displayName\":\"Bench\",\"plan\":\"enterprise\"}"), "id");
        for (int i = 0; i < 100 && !get(cp + "/api/v1/tenants/" + tenant, platform).contains("\"ACTIVE\""); i++) {
            Thread.sleep(200);
        }
        String key = field(post(cp + "/api/v1/tenants/" + tenant + "/api-keys", platform,
                "{\"name\":\"bench\",\"scopes\":[\"rag:query\",\"rag:ingest\",\"models:invoke\",\"admin\"]}"), "secret");
        String kb = field(post(dp + "/v1/knowledge-bases", key, "{\"name\":\"bench\"}"), "id");
        System.out.printf("tenant %s, knowledge base %s%n", tenant, kb);

        ingest(dp, key, kb, chunks);
        for (int i = 0; i < 20; i++) {
            post(dp + "/v1/knowledge-bases/" + kb + "/query", key, query("hybrid"));
        }
        closedLoop(dp, key, kb, 1, seconds);
        closedLoop(dp, key, kb, 50, seconds);
        for (int rate : new int[] {100, 200, 400}) {
            openLoop(dp, key, kb, rate, seconds);
        }
        proxyOverhead(dp, key, upstream, 2000, false);
        post(dp + "/v1/guardrails", key, "{\"pii\":\"off\",\"promptInjection\":\"off\"}", "PUT");
        proxyOverhead(dp, key, upstream, 2000, true);
        System.exit(0);
    }

    static void ingest(String dp, String key, String kb, int target) throws Exception {
        int documents = Integer.MAX_VALUE;
        AtomicInteger next = new AtomicInteger();
        AtomicLong stored = new AtomicLong();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            futures.add(pool.submit(() -> {
                Random random = new Random(next.get() * 31L + System.nanoTime());
                int i;
                while (stored.get() < target && (i = next.getAndIncrement()) < documents) {
                    StringBuilder text = new StringBuilder();
                    for (int p = 0; p < 10; p++) {
                        text.append(sentence(random, 70)).append("\n\n");
                    }
                    String body = "{\"title\":\"doc " + i + "\",\"text\":\"" + text.toString().replace("\n", "\\n") + "\"}";
                    String response = post(dp + "/v1/knowledge-bases/" + kb + "/documents", key, body);
                    stored.addAndGet(Long.parseLong(field(response, "chunks")));
                    if (i % 500 == 0) {
                        double secs = (System.nanoTime() - start) / 1e9;
                        System.out.printf("  ingested %d documents, %d chunks, %.0f chunks/s%n", i, stored.get(), stored.get() / secs);
                    }
                }
                return null;
            }));
        }
        for (var future : futures) {
            future.get();
        }
        pool.shutdown();
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("INGEST  %d documents, %d chunks in %.1f s: %.0f chunks/s (2 clients, synchronous ingest, quantized model)%n",
                next.get() - 2, stored.get(), secs, stored.get() / secs);
    }

    static void closedLoop(String dp, String key, String kb, int clients, int seconds) throws Exception {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> response = send(dp + "/v1/knowledge-bases/" + kb + "/query", key, query("hybrid"), "POST");
                        if (response.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    latencies.add(System.nanoTime() - t0);
                }
                done.countDown();
            });
        }
        done.await();
        report("QUERY   hybrid, " + clients + " closed-loop clients", latencies, seconds, errors.get());
    }

    static void openLoop(String dp, String key, String kb, int rate, int seconds) throws Exception {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        int total = rate * seconds;
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        CountDownLatch done = new CountDownLatch(total);
        for (int i = 0; i < total; i++) {
            long intended = start + i * interval;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(Duration.ofNanos(wait));
            }
            Thread.ofVirtual().start(() -> {
                try {
                    if (send(dp + "/v1/knowledge-bases/" + kb + "/query", key, query("hybrid"), "POST").statusCode() != 200) {
                        errors.incrementAndGet();
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                }
                latencies.add(System.nanoTime() - intended);
                done.countDown();
            });
        }
        done.await();
        report("QUERY   hybrid, open loop " + rate + " req/s (latency from intended send time)", latencies, seconds, errors.get());
    }

    static void proxyOverhead(String dp, String key, String upstream, int n, boolean guardrailsOff) throws Exception {
        String body = "{\"model\":\"bench\",\"messages\":[{\"role\":\"user\",\"content\":\"Say something short about benchmarks.\"}]}";
        List<Long> direct = new ArrayList<>();
        List<Long> proxied = new ArrayList<>();
        for (int i = 0; i < n / 4; i++) {
            send(upstream + "/v1/chat/completions", "none", body, "POST");
            send(dp + "/v1/chat/completions", key, body, "POST");
        }
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            send(upstream + "/v1/chat/completions", "none", body, "POST");
            long t1 = System.nanoTime();
            HttpResponse<String> response = send(dp + "/v1/chat/completions", key, body, "POST");
            long t2 = System.nanoTime();
            if (response.statusCode() != 200) {
                throw new IllegalStateException("proxy answered " + response.statusCode() + ": " + response.body());
            }
            direct.add(t1 - t0);
            proxied.add(t2 - t1);
        }
        long[] d = sorted(direct);
        long[] p = sorted(proxied);
        System.out.printf("PROXY   %s: direct p50 %.2f ms, through data plane p50 %.2f ms p99 %.2f ms -> added p50 %.2f ms (sequential, %d calls)%n",
                guardrailsOff ? "guardrails off" : "guardrails on (injection rules + embedding classifier)",
                d[d.length / 2] / 1e6, p[p.length / 2] / 1e6, p[(int) (p.length * 0.99)] / 1e6, (p[p.length / 2] - d[d.length / 2]) / 1e6, n);
    }

    static void report(String what, ConcurrentLinkedQueue<Long> latencies, int seconds, int errors) {
        long[] sorted = sorted(new ArrayList<>(latencies));
        System.out.printf("%s: %d requests, %.0f req/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.1f ms, errors %d%n", what,
                sorted.length, sorted.length / (double) seconds, sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.9)] / 1e6,
                sorted[(int) (sorted.length * 0.99)] / 1e6, sorted[sorted.length - 1] / 1e6, errors);
    }

    static long[] sorted(List<Long> values) {
        long[] array = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(array);
        return array;
    }

    static String query(String mode) {
        Random random = RANDOM;
        StringBuilder query = new StringBuilder();
        int words = 3 + random.nextInt(3);
        synchronized (random) {
            for (int i = 0; i < words; i++) {
                query.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
            }
        }
        return "{\"query\":\"" + query + "\",\"topK\":10,\"mode\":\"" + mode + "\"}";
    }

    static String sentence(Random random, int words) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            text.append(i == 0 ? "" : " ").append(WORDS[(int) Math.min(WORDS.length - 1, Math.abs(random.nextGaussian()) * WORDS.length / 3)]);
        }
        return text.append('.').toString();
    }

    static String[] vocabulary(int size) {
        String[] syllables = {"ka", "lo", "mi", "ne", "ra", "tu", "si", "po", "ve", "da", "gor", "lin", "tas", "mer", "bel", "qui", "zan", "ori", "eth", "ul"};
        Random random = new Random(7);
        String[] words = new String[size];
        for (int i = 0; i < size; i++) {
            StringBuilder word = new StringBuilder();
            int n = 2 + random.nextInt(2);
            for (int s = 0; s < n; s++) {
                word.append(syllables[random.nextInt(syllables.length)]);
            }
            words[i] = word.toString();
        }
        return words;
    }

    static String post(String url, String key, String body) throws Exception {
        return post(url, key, body, "POST");
    }

    static String post(String url, String key, String body, String method) throws Exception {
        HttpResponse<String> response = send(url, key, body, method);
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + " -> " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    static HttpResponse<String> send(String url, String key, String body, String method) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String get(String url, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]+)").matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return matcher.group(1);
    }
}
