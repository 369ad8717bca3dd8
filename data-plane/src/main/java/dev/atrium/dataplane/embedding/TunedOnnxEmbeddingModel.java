package dev.atrium.dataplane.embedding;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

/**
 * A LangChain4j in-process ONNX embedding model whose session is tuned for a server: one intra-op thread per call
 * and no spin-waiting. LangChain4j's stock models give every call all cores with spinning threads, which under
 * concurrent requests burns most of the CPU on contention; here concurrency comes from the request threads, and
 * batches are embedded on the calling thread.
 */
final class TunedOnnxEmbeddingModel extends AbstractInProcessEmbeddingModel {

    private final OnnxBertBiEncoder encoder;

    TunedOnnxEmbeddingModel(String modelResource, String tokenizerResource) {
        super(Runnable::run);
        try (InputStream model = resource(modelResource); InputStream tokenizer = resource(tokenizerResource)) {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = environment.createSession(model.readAllBytes(), options);
            this.encoder = new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load embedding model " + modelResource, e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = TunedOnnxEmbeddingModel.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("embedding model resource " + name + " is not on the classpath");
        }
        return in;
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return EmbeddingModels.DIMENSIONS;
    }
}
