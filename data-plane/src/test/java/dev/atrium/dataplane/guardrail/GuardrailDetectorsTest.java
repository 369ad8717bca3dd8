package dev.atrium.dataplane.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

/**
 * Precision and recall of the detectors on hand-labelled sets ({@code src/test/resources/guardrails/}, at least
 * 100 positive and 100 negative examples each). The report goes to {@code target/guardrail-report.txt}; the
 * assertions are quality floors, and every miss is listed so a regression names its example.
 */
class GuardrailDetectorsTest {

    private record Example(String label, String text) {
    }

    private record Score(int tp, int fp, int fn, int tn, List<String> errors) {
        double precision() {
            return tp + fp == 0 ? 1 : (double) tp / (tp + fp);
        }

        double recall() {
            return tp + fn == 0 ? 1 : (double) tp / (tp + fn);
        }

        String line(String name) {
            return String.format(Locale.ROOT, "%-18s n=%d (pos %d, neg %d)  precision %.3f  recall %.3f  TP %d FP %d FN %d TN %d",
                    name, tp + fp + fn + tn, tp + fn, fp + tn, precision(), recall(), tp, fp, fn, tn);
        }
    }

    private static List<Example> load(String name) throws IOException {
        List<Example> examples = new ArrayList<>();
        try (InputStream in = GuardrailDetectorsTest.class.getResourceAsStream(name)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] parts = line.split("\t", 2);
                    examples.add(new Example(parts[0], parts[1]));
                }
            }
        }
        return examples;
    }

    private static void report(String line) throws IOException {
        Path file = Path.of("target", "guardrail-report.txt");
        Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        System.out.println(line);
    }

    @Test
    void promptInjectionDetectorOnTheLabelledSet() throws IOException {
        Score score = scoreInjection("/guardrails/prompt-injection.tsv", "prompt-injection");
        assertThat(score.tp() + score.fn()).isGreaterThanOrEqualTo(100);
        assertThat(score.fp() + score.tn()).isGreaterThanOrEqualTo(100);
        assertThat(score.precision()).as(String.join("\n", score.errors())).isGreaterThanOrEqualTo(0.95);
        assertThat(score.recall()).as(String.join("\n", score.errors())).isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void onFreshExamplesNeverUsedForTuningThePiiRulesHoldAndTheInjectionRulesStayPrecise() throws IOException {
        scoreInjection("/guardrails/prompt-injection-round2.tsv", "injection round 2");
        Score injection = scoreInjection("/guardrails/prompt-injection-fresh.tsv", "injection fresh");
        scorePii("/guardrails/pii-holdout.tsv", "pii held-out");
        Score pii = scorePii("/guardrails/pii-fresh.tsv", "pii fresh");
        // phrase rules alone generalise poorly (recall ~0.2 on fresh text); SemanticInjectionClassifierTest measures the
        // combined detector that the data plane runs
        assertThat(injection.precision()).as(String.join("\n", injection.errors())).isGreaterThanOrEqualTo(0.9);
        assertThat(pii.precision()).as(String.join("\n", pii.errors())).isGreaterThanOrEqualTo(0.8);
        assertThat(pii.recall()).as(String.join("\n", pii.errors())).isGreaterThanOrEqualTo(0.6);
    }

    private static Score scoreInjection(String file, String name) throws IOException {
        PromptInjectionDetector detector = new PromptInjectionDetector();
        return score(file, name, example -> example.label().equals("1"), example -> detector.detect(example.text()).isPresent()
                ? "injection" : null);
    }

    /**
     * Scores a detector over a labelled file; {@code verdict} returns what was detected (null for nothing) and
     * counts as a hit on a positive example only when it is what the label expects.
     */
    private static Score score(String file, String name, java.util.function.Predicate<Example> positive,
                               java.util.function.Function<Example, String> verdict) throws IOException {
        int tp = 0, fp = 0, fn = 0, tn = 0;
        List<String> errors = new ArrayList<>();
        for (Example example : load(file)) {
            boolean isPositive = positive.test(example);
            String found = verdict.apply(example);
            boolean detected = found != null && (!isPositive || !found.startsWith("wrong:"));
            if (isPositive && detected) {
                tp++;
            } else if (!isPositive && detected) {
                fp++;
                errors.add("false positive " + found + ": " + example.text());
            } else if (isPositive) {
                fn++;
                errors.add("missed " + example.label() + " (found " + found + "): " + example.text());
            } else {
                tn++;
            }
        }
        Score score = new Score(tp, fp, fn, tn, errors);
        report(score.line(name));
        errors.forEach(e -> System.out.println("  " + e));
        return score;
    }

    @Test
    void piiDetectorOnTheLabelledSetFindsTheRightKindOfData() throws IOException {
        Score score = scorePii("/guardrails/pii.tsv", "pii");
        assertThat(score.tp() + score.fn()).isGreaterThanOrEqualTo(100);
        assertThat(score.fp() + score.tn()).isGreaterThanOrEqualTo(100);
        assertThat(score.precision()).as(String.join("\n", score.errors())).isGreaterThanOrEqualTo(0.95);
        assertThat(score.recall()).as(String.join("\n", score.errors())).isGreaterThanOrEqualTo(0.90);
    }

    private static Score scorePii(String file, String name) throws IOException {
        PiiDetector detector = new PiiDetector();
        return score(file, name, example -> !example.label().equals("none"), example -> {
            List<Finding> findings = detector.find(example.text());
            if (findings.isEmpty()) {
                return null;
            }
            boolean expected = findings.stream().anyMatch(f -> f.rule().equals(example.label()));
            return (expected || example.label().equals("none") ? "" : "wrong:") + findings;
        });
    }

    @Test
    void checksumsSeparateRealCardAndIbanNumbersFromLookalikes() {
        assertThat(PiiDetector.luhn("4111 1111 1111 1111")).isTrue();
        assertThat(PiiDetector.luhn("4111 1111 1111 1112")).isFalse();
        assertThat(PiiDetector.validIban("GB82 WEST 1234 5698 7654 32")).isTrue();
        assertThat(PiiDetector.validIban("GB82 WEST 1234 5698 7654 33")).isFalse();
    }

    @Test
    void redactionKeepsLengthSoCitationOffsetsStayValid() {
        String text = "Write to jane.doe@example.com or call +44 20 7946 0958 today.";
        List<Finding> findings = new PiiDetector().find(text);
        String redacted = Guardrails.redact(text, findings);
        assertThat(redacted).hasSameSizeAs(text).doesNotContain("jane.doe").doesNotContain("7946").startsWith("Write to [EMAIL]")
                .endsWith(" today.");
        assertThat(redacted.indexOf(" today.")).isEqualTo(text.indexOf(" today."));
    }
}
