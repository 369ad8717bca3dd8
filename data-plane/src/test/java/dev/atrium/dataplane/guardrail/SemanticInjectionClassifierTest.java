package dev.atrium.dataplane.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.DataPlaneStack;
import dev.atrium.dataplane.embedding.EmbeddingModels;

/**
 * The combined detector (phrase rules, then nearest neighbours over the real MiniLM embeddings, run inside the
 * application because ONNX and the tokenizer load native code once per JVM). On its own
 * examples it is measured leave-one-out (each example classified without itself); on the fresh set, which was
 * never used to tune anything, as it is. Results go to {@code target/guardrail-report.txt}.
 */
@DataPlaneStack
class SemanticInjectionClassifierTest {

    private static final PromptInjectionDetector RULES = new PromptInjectionDetector();

    @Inject
    EmbeddingModels models;

    private SemanticInjectionClassifier classifier;

    @BeforeEach
    void load() {
        classifier = new SemanticInjectionClassifier(texts -> models.embedAll(EmbeddingModels.QUANTIZED, texts),
                text -> models.embed(EmbeddingModels.QUANTIZED, text));
    }

    private static String line(String name, int tp, int fp, int fn, int tn) throws IOException {
        String line = String.format(Locale.ROOT, "%-28s n=%d (pos %d, neg %d)  precision %.3f  recall %.3f",
                name, tp + fp + fn + tn, tp + fn, fp + tn, tp + fp == 0 ? 1.0 : (double) tp / (tp + fp), (double) tp / (tp + fn));
        Files.writeString(Path.of("target", "guardrail-report.txt"), line + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println(line);
        return line;
    }

    @Test
    void leaveOneOutOnTheExamplesTheClassifierKnows() throws IOException {
        int tp = 0, fp = 0, fn = 0, tn = 0;
        for (SemanticInjectionClassifier.Example example : classifier.examples()) {
            boolean detected = classifier.isInjection(example.vector(), example);
            if (example.injection()) {
                tp += detected ? 1 : 0;
                fn += detected ? 0 : 1;
            } else {
                fp += detected ? 1 : 0;
                tn += detected ? 0 : 1;
            }
        }
        line("semantic only, leave-one-out", tp, fp, fn, tn);
        assertThat((double) tp / (tp + fn)).isGreaterThanOrEqualTo(0.8);
        assertThat((double) tp / (tp + fp)).isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void rulesPlusSemanticOnTheFreshSet() throws IOException {
        List<String[]> fresh = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/guardrails/prompt-injection-fresh.tsv")) {
            for (String row : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!row.isBlank() && !row.startsWith("#")) {
                    fresh.add(row.split("\t", 2));
                }
            }
        }
        int tp = 0, fp = 0, fn = 0, tn = 0;
        List<String> errors = new ArrayList<>();
        for (String[] example : fresh) {
            boolean positive = example[0].equals("1");
            boolean detected = RULES.detect(example[1]).isPresent() || classifier.isInjection(example[1]);
            if (positive) {
                tp += detected ? 1 : 0;
                fn += detected ? 0 : 1;
            } else {
                fp += detected ? 1 : 0;
                tn += detected ? 0 : 1;
            }
            if (positive != detected) {
                errors.add((positive ? "missed: " : "false positive: ") + example[1]);
            }
        }
        line("rules + semantic, fresh", tp, fp, fn, tn);
        errors.forEach(e -> System.out.println("  " + e));
        assertThat((double) tp / (tp + fn)).as(String.join("\n", errors)).isGreaterThanOrEqualTo(0.75);
        assertThat(tp + fp == 0 ? 1.0 : (double) tp / (tp + fp)).as(String.join("\n", errors)).isGreaterThanOrEqualTo(0.8);
    }
}
