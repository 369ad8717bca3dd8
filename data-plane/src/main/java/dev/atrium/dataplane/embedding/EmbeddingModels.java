package dev.atrium.dataplane.embedding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;

import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.Problem;

/**
 * The embedding models: two served in process (ONNX Runtime through LangChain4j), loaded on first use, both
 * all-MiniLM-L6-v2 (384 dimensions, 128 word pieces at most per input; the quantized one is the default).
 * Embedding models served by a backend are called through the gateway ({@code ChatGateway.embed}).
 */
@ApplicationScoped
public class EmbeddingModels {

    public static final String QUANTIZED = "all-minilm-l6-v2-q";
    public static final String FP32 = "all-minilm-l6-v2";
    public static final int DIMENSIONS = 384;
    /** The model's tokenizer stops here: text beyond it is not seen by dense search. */
    public static final int MAX_TOKENS = 128;

    /** The ONNX files that LangChain4j's all-MiniLM-L6-v2 artifacts ship, loaded into tuned sessions. */
    private static final Map<String, Supplier<EmbeddingModel>> FACTORIES = Map.of(
            QUANTIZED, () -> new TunedOnnxEmbeddingModel("/all-minilm-l6-v2-q.onnx", "/all-minilm-l6-v2-q-tokenizer.json"),
            FP32, () -> new TunedOnnxEmbeddingModel("/all-minilm-l6-v2.onnx", "/all-minilm-l6-v2-tokenizer.json"));

    private final Map<String, EmbeddingModel> loaded = new ConcurrentHashMap<>();

    private final HuggingFaceTokenCountEstimator tokenizer = new HuggingFaceTokenCountEstimator();

    public static List<String> names() {
        return List.of(QUANTIZED, FP32);
    }

    public static boolean exists(String name) {
        return FACTORIES.containsKey(name);
    }

    /** The named in-process model, loaded on first use. */
    public EmbeddingModel model(String name) {
        Supplier<EmbeddingModel> factory = FACTORIES.get(name);
        if (factory == null) {
            throw new ApiException(Problem.MODEL_NOT_AVAILABLE, "embedding model '" + name + "' is not served in process; available: " + names(), "model");
        }
        return loaded.computeIfAbsent(name, n -> factory.get());
    }

    public float[] embed(String model, String text) {
        return model(model).embed(text).content().vector();
    }

    /** A text's embedding and the number of word pieces the model read (one tokenizer pass for both). */
    public record Embedded(float[] vector, int tokens) {
    }

    public Embedded embedCounting(String model, String text) {
        dev.langchain4j.model.output.Response<Embedding> response = model(model).embed(text);
        Integer tokens = response.tokenUsage() == null ? null : response.tokenUsage().inputTokenCount();
        return new Embedded(response.content().vector(), tokens == null ? tokens(text) : tokens);
    }

    public List<float[]> embedAll(String model, List<String> texts) {
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        List<float[]> vectors = new ArrayList<>(texts.size());
        List<Embedding> embeddings = model(model).embedAll(segments).content();
        for (Embedding embedding : embeddings) {
            vectors.add(embedding.vector());
        }
        return vectors;
    }

    /** Word pieces of the text as the model's tokenizer counts them (what usage is metered in). */
    public int tokens(String text) {
        return tokenizer.estimateTokenCountInText(text);
    }

    public HuggingFaceTokenCountEstimator tokenizer() {
        return tokenizer;
    }
}
