package dev.atrium.dataplane.guardrail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
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
            loaded.add(new Example(labelled.get(i)[1], labelled.get(i)[0].equals("1"), vectors.get(i)));
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
        record Neighbour(Example example, double similarity) {
        }
        List<Neighbour> nearest = examples.stream().filter(e -> e != exclude)
                .map(e -> new Neighbour(e, cosine(vector, e.vector())))
                .sorted(Comparator.comparingDouble(Neighbour::similarity).reversed())
                .limit(K).toList();
        double injection = 0;
        double total = 0;
        double closestInjection = 0;
        for (Neighbour neighbour : nearest) {
            double weight = Math.max(0, neighbour.similarity());
            total += weight;
            if (neighbour.example().injection()) {
                injection += weight;
                closestInjection = Math.max(closestInjection, neighbour.similarity());
            }
        }
        return total > 0 && injection / total >= MIN_INJECTION_SHARE && closestInjection >= MIN_SIMILARITY;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / (Math.sqrt(na) * Math.sqrt(nb));
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
