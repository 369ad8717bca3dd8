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

import io.quarkus.runtime.StartupEvent;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;

import dev.atrium.dataplane.auth.TenantPrincipal;
import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.dataplane.common.Problem;
import dev.atrium.dataplane.metering.AuditOutbox;
import dev.atrium.dataplane.rag.EmbeddingModels;
import dev.atrium.dataplane.storage.TenantDatabase;

/**
 * Applies a tenant's guardrail policy: PII on ingested documents and on answers, prompt injection on queries and on
 * retrieved chunks (phrase rules only there, to keep answers fast). Every decision is counted in metrics and in the request's usage event.
 */
@ApplicationScoped
public class Guardrails {

    private final PiiDetector pii = new PiiDetector();
    private final PromptInjectionDetector injection = new PromptInjectionDetector();
    private final Cache<UUID, GuardrailPolicy> policies = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofSeconds(10)).build();

    @Inject
    TenantDatabase database;

    @Inject
    DataPlaneConfig config;

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
     * quantized-model embedding when the caller already has it.
     */
    private Optional<Finding> detectInjection(String text, float[] quantizedEmbedding) {
        Optional<Finding> rule = injection.detect(text);
        if (rule.isPresent()) {
            return rule;
        }
        boolean similar = quantizedEmbedding != null ? semantic().isInjection(quantizedEmbedding, null) : semantic().isInjection(text);
        if (!similar) {
            return rule;
        }
        return Optional.of(new Finding("injection.semantic-similarity", 0, text.length()));
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

    /** Checks a user's query or prompt; under {@code block} an injection attempt is refused, naming the rule. */
    public void screenPrompt(UUID tenantId, String text, GuardrailDecisions decisions) {
        screenPrompt(tenantId, text, null, decisions);
    }

    /** As {@link #screenPrompt(UUID, String, GuardrailDecisions)}, with the text's embedding by the quantized model. */
    public void screenPrompt(UUID tenantId, String text, float[] quantizedEmbedding, GuardrailDecisions decisions) {
        GuardrailAction action = policy(tenantId).promptInjection();
        if (action == GuardrailAction.OFF) {
            return;
        }
        Optional<Finding> finding = detectInjection(text, quantizedEmbedding);
        if (finding.isEmpty()) {
            return;
        }
        GuardrailAction taken = action == GuardrailAction.REDACT ? GuardrailAction.BLOCK : action;
        record(decisions, finding.get().rule(), taken);
        if (taken == GuardrailAction.BLOCK) {
            throw new ApiException(Problem.GUARDRAIL_BLOCKED, "the request was blocked by guardrail rule '"
                    + finding.get().rule() + "' (prompt injection)", "guardrail:" + finding.get().rule());
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
        findings.forEach(f -> record(decisions, f.rule(), action));
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
        StringBuilder redacted = new StringBuilder(text);
        for (Finding finding : findings) {
            int length = finding.end() - finding.start();
            String label = "[" + finding.rule().substring(finding.rule().indexOf('.') + 1).toUpperCase(java.util.Locale.ROOT) + "]";
            String mask = label.length() <= length ? label + "*".repeat(length - label.length()) : "*".repeat(length);
            redacted.replace(finding.start(), finding.end(), mask);
        }
        return redacted.toString();
    }

    private void record(GuardrailDecisions decisions, String rule, GuardrailAction action) {
        decisions.add(rule, action);
        metrics.counter("atrium.guardrail.decisions", "rule", rule, "action", action.value()).increment();
    }

    private GuardrailPolicy load(UUID tenantId) {
        return database.inTenant(tenantId, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT pii, prompt_injection FROM guardrail_policy WHERE tenant_id = ?")) {
                query.setObject(1, tenantId);
                try (ResultSet row = query.executeQuery()) {
                    if (row.next()) {
                        return new GuardrailPolicy(GuardrailAction.of(row.getString(1)), GuardrailAction.of(row.getString(2)));
                    }
                }
            }
            return new GuardrailPolicy(config.guardrails().pii(), config.guardrails().promptInjection());
        });
    }
}
