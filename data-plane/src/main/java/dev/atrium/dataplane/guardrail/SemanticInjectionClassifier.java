package dev.atrium.dataplane.guardrail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Catches prompt injections that the phrase rules miss by meaning rather than wording: the text is embedded with
 * the in-process MiniLM model and compared with labelled examples (the {@code guardrails/prompt-injection*.tsv}
 * resources); it is flagged when most of its nearest neighbours, weighted by similarity, are injections and the
 * closest injection is similar enough.
 */
public final class SemanticInjectionClassifier {

    static final String[] EXAMPLE_FILES = {"/guardrails/prompt-injection.tsv", "/guardrails/prompt-injection-round2.tsv"};
    private static final int K = 5;
    private static final double MIN_SIMILARITY = 0.5;
    private static final double MIN_INJECTION_SHARE = 0.6;

    /** A labelled example with its embedding. */
    public record Example(String text, boolean injection, float[] vector) {
    }

    private final List<Example> examples;
    private final Function<String, float[]> embedder;

    public SemanticInjectionClassifier(Function<List<String>, List<float[]>> embedAll, Function<String, float[]> embedder) {
        List<String[]> labelled = loadExamples();
        List<float[]> vectors = embedAll.apply(labelled.stream().map(l -> l[1]).toList());
        List<Example> loaded = new ArrayList<>(labelled.size());
        for (int i = 0; i < labelled.size(); i++) {
            loaded.add(new Example(labelled.get(i)[1], labelled.get(i)[0].equals("1"), normalized(vectors.get(i))));
        }
        this.examples = List.copyOf(loaded);
        this.embedder = embedder;
    }

    public List<Example> examples() {
        return examples;
    }

    public boolean isInjection(String text) {
        return isInjection(embedder.apply(text), null);
    }

    /** Classifies a vector, ignoring the example {@code exclude} (for leave-one-out evaluation). */
    public boolean isInjection(float[] vector, Example exclude) {
        float[] query = normalized(vector);
        // the K most similar examples, kept in a small array sorted by similarity (no boxing, no sorting of all)
        double[] similarity = new double[K];
        Example[] nearest = new Example[K];
        java.util.Arrays.fill(similarity, Double.NEGATIVE_INFINITY);
        for (Example example : examples) {
            if (example == exclude) {
                continue;
            }
            double s = dot(query, example.vector());
            if (s > similarity[K - 1]) {
                int i = K - 1;
                while (i > 0 && similarity[i - 1] < s) {
                    similarity[i] = similarity[i - 1];
                    nearest[i] = nearest[i - 1];
                    i--;
                }
                similarity[i] = s;
                nearest[i] = example;
            }
        }
        double injection = 0;
        double total = 0;
        double closestInjection = 0;
        for (int i = 0; i < K && nearest[i] != null; i++) {
            double weight = Math.max(0, similarity[i]);
            total += weight;
            if (nearest[i].injection()) {
                injection += weight;
                closestInjection = Math.max(closestInjection, similarity[i]);
            }
        }
        return total > 0 && injection / total >= MIN_INJECTION_SHARE && closestInjection >= MIN_SIMILARITY;
    }

    private static float dot(float[] a, float[] b) {
        float sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static float[] normalized(float[] vector) {
        double norm = Math.sqrt(dot(vector, vector));
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = (float) (vector[i] / norm);
        }
        return unit;
    }

    private static List<String[]> loadExamples() {
        List<String[]> labelled = new ArrayList<>();
        for (String file : EXAMPLE_FILES) {
            try (InputStream in = SemanticInjectionClassifier.class.getResourceAsStream(file)) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        labelled.add(line.split("\t", 2));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return labelled;
    }
}
