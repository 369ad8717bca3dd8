import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * SIMULATION of an OpenAI-compatible model server for the proxy-overhead benchmark: answers every chat completion
 * at once with the same small body, so what is measured is the data plane, not a model. Usage: FakeUpstream <port>.
 */
public class FakeUpstream {
    public static void main(String[] args) throws Exception {
        byte[] body = """
                {"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"bench",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Benchmark answer."},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}""".getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 512);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("fake upstream on " + args[0]);
    }
}
