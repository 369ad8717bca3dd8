package dev.atrium.dataplane.guardrail;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

import dev.atrium.dataplane.auth.TenantPrincipal;
import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.Problem;
import dev.atrium.dataplane.embedding.EmbeddingModels;
import dev.atrium.dataplane.metering.AuditOutbox;
import dev.atrium.dataplane.storage.TenantDatabase;

/**
 * Applies a tenant's guardrail policy: PII on ingested documents and on answers, prompt injection on queries, on the
 * new messages of chat requests and on retrieved chunks (phrase rules only there, to keep answers fast). Every
 * decision is counted in metrics and in the request's usage event.
 */
@ApplicationScoped
public class Guardrails {

    private final PiiDetector pii = new PiiDetector();
    private final PromptInjectionDetector injection = new PromptInjectionDetector();
    private final Cache<UUID, GuardrailPolicy> policies = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofSeconds(10)).build();
    private final ScreenedTexts screened = new ScreenedTexts();

    static final int CLASSIFIER_WHOLE_TEXT = 2_000;
    static final int CLASSIFIER_WINDOW = 1_000;

    @Inject
    TenantDatabase database;

    @Inject
    GuardrailConfig settings;

    @Inject
    MeterRegistry metrics;

    @Inject
    EmbeddingModels embeddings;

    @Inject
    AuditOutbox audit;

    private volatile SemanticInjectionClassifier semantic;

    /** Embeds the classifier's examples in the background, so the first screened prompt does not wait ~1 s. */
    void warmUp(@Observes StartupEvent event) {
        Thread.ofVirtual().name("guardrail-warm-up").start(this::semantic);
    }

    private SemanticInjectionClassifier semantic() {
        SemanticInjectionClassifier classifier = semantic;
        if (classifier == null) {
            synchronized (this) {
                if (semantic == null) {
                    semantic = new SemanticInjectionClassifier(texts -> embeddings.embedAll(EmbeddingModels.QUANTIZED, texts),
                            text -> embeddings.embed(EmbeddingModels.QUANTIZED, text));
                }
                classifier = semantic;
            }
        }
        return classifier;
    }

    /**
     * Phrase rules first (they name what matched), then the embedding-similarity classifier, reusing the text's
     * quantized-model embedding when the caller already has it. The rules read the whole text; the classifier reads
     * it whole up to {@value #CLASSIFIER_WHOLE_TEXT} characters, otherwise its first and last
     * {@value #CLASSIFIER_WINDOW} (an embedding costs time in proportion to its text, and MiniLM averages a long
     * text's meaning away anyway), and only while {@code budget} has windows left.
     */
    private Screening detectInjection(String text, float[] quantizedEmbedding, ClassifierBudget budget) {
        Optional<Finding> rule = injection.detect(text);
        if (rule.isPresent()) {
            return new Screening(rule, true);
        }
        if (quantizedEmbedding != null) {
            return new Screening(semanticFinding(quantizedEmbedding, text), true);
        }
        List<String> windows = text.length() <= CLASSIFIER_WHOLE_TEXT ? List.of(text)
                : List.of(text.substring(0, CLASSIFIER_WINDOW), text.substring(text.length() - CLASSIFIER_WINDOW));
        for (String window : windows) {
            if (!budget.take()) {
                metrics.counter("atrium.guardrail.classifier.skipped").increment();
                return new Screening(Optional.empty(), false);
            }
            if (semantic().isInjection(window)) {
                return new Screening(Optional.of(new Finding("injection.semantic-similarity", 0, text.length())), true);
            }
        }
        return new Screening(Optional.empty(), true);
    }

    private Optional<Finding> semanticFinding(float[] quantizedEmbedding, String text) {
        return semantic().isInjection(quantizedEmbedding, null)
                ? Optional.of(new Finding("injection.semantic-similarity", 0, text.length())) : Optional.empty();
    }

    /** What screening one text found, and whether every check ran (the classifier's budget may have run out). */
    private record Screening(Optional<Finding> finding, boolean complete) {
    }

    /** How many classifier windows one request may still spend. */
    private static final class ClassifierBudget {
        private int left;

        ClassifierBudget(int windows) {
            this.left = windows;
        }

        boolean take() {
            return left-- > 0;
        }
    }

    /** Forgets what is cached of an erased tenant: its policy and the texts it had screened clean. */
    public void forgetTenant(UUID tenantId) {
        policies.invalidate(tenantId);
        screened.forget(tenantId);
    }

    public GuardrailPolicy policy(UUID tenantId) {
        return policies.get(tenantId, this::load);
    }

    public GuardrailPolicy update(TenantPrincipal caller, GuardrailPolicy policy) {
        UUID tenantId = caller.tenantId();
        GuardrailPolicy before = policy(tenantId);
        database.inTenant(tenantId, connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("""
                    INSERT INTO guardrail_policy (tenant_id, pii, prompt_injection, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (tenant_id) DO UPDATE SET pii = excluded.pii, prompt_injection = excluded.prompt_injection,
                        updated_at = excluded.updated_at""")) {
                upsert.setObject(1, tenantId);
                upsert.setString(2, policy.pii().value());
                upsert.setString(3, policy.promptInjection().value());
                upsert.setTimestamp(4, Timestamp.from(Instant.now()));
                upsert.executeUpdate();
            }
            audit.record(connection, caller, "guardrail-policy.update", "guardrail-policy", tenantId, java.util.Map.of(
                    "before", java.util.Map.of("pii", before.pii().value(), "promptInjection", before.promptInjection().value()),
                    "after", java.util.Map.of("pii", policy.pii().value(), "promptInjection", policy.promptInjection().value())));
            return null;
        });
        policies.invalidate(tenantId);
        return policy;
    }

    /**
     * Checks a knowledge-base query (at most 4,000 characters), with its embedding by the quantized model when the
     * caller has it; under {@code block} an injection attempt is refused, naming the rule.
     */
    public void screenPrompt(UUID tenantId, String text, float[] quantizedEmbedding, GuardrailDecisions decisions) {
        GuardrailAction action = policy(tenantId).promptInjection();
        if (action == GuardrailAction.OFF) {
            return;
        }
        Optional<Finding> finding = detectInjection(text, quantizedEmbedding, new ClassifierBudget(2)).finding();
        finding.ifPresent(f -> act(action, f, decisions, "the request"));
    }

    /** One message of a chat request: its position in {@code messages}, its role and its text. */
    public record ChatMessage(int index, String role, String text) {
    }

    /**
     * Whether a message is screened: every role but the model's own ({@code assistant}), compared without regard to
     * case or surrounding blanks, so that a role spelled {@code USER} or one this code does not know yet (a backend
     * may accept it) is screened rather than waved through.
     */
    static boolean screened(String role) {
        return !"assistant".equalsIgnoreCase(role.strip());
    }

    /**
     * Screens a chat request for prompt injection: every user, system (developer) and tool (function) message whose
     * text this tenant has not already had screened clean, newest first. Their size is bounded whatever the policy
     * (413 for a message longer than {@code atrium.guardrails.max-message-chars}, or for more than
     * {@code max-request-chars} of such text in one request), so screening costs bounded time. Texts screened
     * without any finding are remembered by hash (per tenant, bounded), so the earlier turns of a conversation are
     * not screened again on every request; a flagged text is screened again each time it is sent.
     */
    public void screenMessages(UUID tenantId, List<ChatMessage> messages, GuardrailDecisions decisions) {
        long total = 0;
        for (ChatMessage message : messages) {
            if (!screened(message.role())) {
                continue;
            }
            if (message.text().length() > settings.maxMessageChars()) {
                throw new ApiException(Problem.TOO_LARGE, "messages[" + message.index() + "] has " + message.text().length()
                        + " characters; a message may have at most " + settings.maxMessageChars(),
                        "messages[" + message.index() + "].content");
            }
            total += message.text().length();
        }
        if (total > settings.maxRequestChars()) {
            throw new ApiException(Problem.TOO_LARGE, "the user, system and tool messages have " + total
                    + " characters together; a request may have at most " + settings.maxRequestChars(), "messages");
        }
        GuardrailAction action = policy(tenantId).promptInjection();
        if (action == GuardrailAction.OFF) {
            return;
        }
        ClassifierBudget budget = new ClassifierBudget(settings.classifierWindowsPerRequest());
        for (ChatMessage message : messages.reversed()) {
            if (!screened(message.role()) || message.text().isBlank()) {
                continue;
            }
            String hash = ScreenedTexts.hash(message.text());
            if (screened.contains(tenantId, hash)) {
                metrics.counter("atrium.guardrail.screened.cached").increment();
                continue;
            }
            Screening screening = detectInjection(message.text(), null, budget);
            if (screening.finding().isPresent()) {
                act(action, screening.finding().get(), decisions, "messages[" + message.index() + "] (" + message.role() + ")");
            } else if (screening.complete()) {
                screened.add(tenantId, hash);
            }
        }
    }

    /** Counts an injection finding; under {@code block} (and {@code redact}) refuses the request, naming the rule. */
    private void act(GuardrailAction action, Finding finding, GuardrailDecisions decisions, String where) {
        GuardrailAction taken = action == GuardrailAction.REDACT ? GuardrailAction.BLOCK : action;
        record(decisions, finding.rule(), taken);
        if (taken == GuardrailAction.BLOCK) {
            throw new ApiException(Problem.GUARDRAIL_BLOCKED, where.equals("the request") ? "the request was blocked by guardrail rule '"
                    + finding.rule() + "' (prompt injection)" : "the request was blocked by guardrail rule '" + finding.rule()
                    + "' (prompt injection in " + where + ")", "guardrail:" + finding.rule());
        }
    }

    /**
     * Whether a retrieved chunk may be given to a model: chunks that carry injected instructions are dropped
     * under {@code block} (and {@code redact}), and only counted under {@code flag}.
     */
    public boolean admitRetrieved(UUID tenantId, String chunkText, GuardrailDecisions decisions) {
        GuardrailAction action = policy(tenantId).promptInjection();
        if (action == GuardrailAction.OFF) {
            return true;
        }
        Optional<Finding> finding = injection.detect(chunkText);
        if (finding.isEmpty()) {
            return true;
        }
        String rule = finding.get().rule().replace("injection.", "injection.retrieved.");
        record(decisions, rule, action == GuardrailAction.FLAG ? GuardrailAction.FLAG : GuardrailAction.BLOCK);
        return action == GuardrailAction.FLAG;
    }

    /**
     * Applies the PII policy to text (a document being ingested, an answer): returns it unchanged, or with every
     * finding masked by a marker of the same length (offsets of citations stay valid); refuses it under block.
     */
    public String screenPii(UUID tenantId, String text, GuardrailDecisions decisions, String what) {
        GuardrailAction action = policy(tenantId).pii();
        if (action == GuardrailAction.OFF) {
            return text;
        }
        List<Finding> findings = pii.find(text);
        if (findings.isEmpty()) {
            return text;
        }
        findings.stream().collect(java.util.stream.Collectors.groupingBy(Finding::rule, java.util.TreeMap::new, java.util.stream.Collectors.counting()))
                .forEach((rule, times) -> record(decisions, rule, action, times));
        return switch (action) {
            case BLOCK -> throw new ApiException(Problem.GUARDRAIL_BLOCKED, what + " contains personal data (guardrail rule '"
                    + findings.getFirst().rule() + "', " + findings.size() + " finding(s)) and the tenant's PII policy is block",
                    "guardrail:" + findings.getFirst().rule());
            case REDACT -> redact(text, findings);
            default -> text;
        };
    }

    /** Replaces each finding with {@code [EMAIL]}-style markers padded with '*' to the original length. */
    static String redact(String text, List<Finding> findings) {
        // written into one array: StringBuilder.replace moves the whole tail on every call, quadratic in the findings
        char[] redacted = text.toCharArray();
        for (Finding finding : findings) {
            int length = finding.end() - finding.start();
            String label = "[" + finding.rule().substring(finding.rule().indexOf('.') + 1).toUpperCase(java.util.Locale.ROOT) + "]";
            String mask = label.length() <= length ? label + "*".repeat(length - label.length()) : "*".repeat(length);
            mask.getChars(0, length, redacted, finding.start());
        }
        return new String(redacted);
    }

    private void record(GuardrailDecisions decisions, String rule, GuardrailAction action) {
        record(decisions, rule, action, 1);
    }

    private void record(GuardrailDecisions decisions, String rule, GuardrailAction action, long times) {
        decisions.add(rule, action, times);
        metrics.counter("atrium.guardrail.decisions", "rule", rule, "action", action.value()).increment(times);
    }

    private GuardrailPolicy load(UUID tenantId) {
        return database.inTenant(tenantId, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT pii, prompt_injection FROM guardrail_policy WHERE tenant_id = ?")) {
                query.setObject(1, tenantId);
                try (ResultSet row = query.executeQuery()) {
                    if (row.next()) {
                        return new GuardrailPolicy(GuardrailAction.of(row.getString("pii")), GuardrailAction.of(row.getString("prompt_injection")));
                    }
                }
            }
            return new GuardrailPolicy(settings.pii(), settings.promptInjection());
        });
    }
}
