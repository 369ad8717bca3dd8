package dev.atrium.controlplane.model;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.atrium.compliance.modelcard.ModelCard;
import dev.atrium.compliance.modelcard.ModelCardMarkdown;
import dev.atrium.compliance.modelcard.ModelCardValidator;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.FieldError;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.identity.CallerContext;
import dev.atrium.controlplane.model.ModelRepository.StoredModel;
import dev.atrium.controlplane.tenant.Tenant;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;

/**
 * The model registry: a tenant's models and the platform's (visible to every tenant), versions with model cards,
 * and the review workflow. Every change is audited in the owner's chain (the platform chain for platform models).
 */
@ApplicationScoped
public class ModelRegistry {

    public static final String PLATFORM = "platform";
    private static final ModelCard EMPTY_CARD = new ModelCard(null, null, null, List.of(), List.of(), List.of(), null);

    @Inject
    ModelRepository repository;

    @Inject
    AuditTrail auditTrail;

    @Inject
    CallerContext callerContext;

    /** The owner id of a tenant's own models ({@code null} tenant: the platform's). */
    public static String owner(UUID tenantId) {
        return tenantId == null ? PLATFORM : tenantId.toString();
    }

    @Transactional
    public ModelViews.Model create(UUID tenantId, ModelRequests.CreateModel request) {
        if (tenantId != null) {
            Tenant.require(tenantId);
        }
        String owner = owner(tenantId);
        Instant now = now();
        String actor = callerContext.require().actorId();
        if (repository.findModel(owner, request.name()).isPresent()) {
            throw new ApiException(ProblemType.CONFLICT, "a model named '" + request.name() + "' already exists");
        }
        ModelViews.Model model = new ModelViews.Model(owner, request.name(), request.type(), request.provider(), request.description(), now, actor);
        repository.insertModel(model);
        auditTrail.record(AuditEntry.success("model.create").tenant(tenantId).resource("model", request.name()).after(model));
        return model;
    }

    /** A tenant's models and the platform's; for the platform (null tenant), only the platform's. */
    public List<ModelViews.Model> list(UUID tenantId) {
        if (tenantId != null) {
            Tenant.require(tenantId);
        }
        return repository.listWithPlatform(owner(tenantId));
    }

    /** A model a tenant can see: its own of that name, else the platform's. */
    public ModelViews.Model get(UUID tenantId, String name) {
        return model(tenantId, name, true).view();
    }

    @Transactional
    public ModelViews.Model update(UUID tenantId, String name, ModelRequests.UpdateModel request) {
        StoredModel model = model(tenantId, name, false);
        repository.updateModel(model.id(), request.provider(), request.description());
        ModelViews.Model updated = model(tenantId, name, false).view();
        auditTrail.record(AuditEntry.success("model.update").tenant(tenantId).resource("model", name).after(updated));
        return updated;
    }

    @Transactional
    public ModelViews.Version createVersion(UUID tenantId, String name, ModelRequests.CreateVersion request) {
        Instant now = now();
        String actor = callerContext.require().actorId();
        StoredModel model = model(tenantId, name, false);
        if (repository.findVersion(model, request.version()).isPresent()) {
            throw new ApiException(ProblemType.CONFLICT, "version " + request.version() + " of " + name + " already exists");
        }
        repository.insertVersion(model, request, request.card() == null ? EMPTY_CARD : request.card(), now, actor);
        ModelViews.Version created = requireVersion(model, request.version());
        auditTrail.record(AuditEntry.success("model.version.create").tenant(tenantId).resource("model-version", name + "@" + request.version())
                .after(Map.of("status", created.status(), "artifactUri", created.artifactUri())));
        return created;
    }

    public List<ModelViews.Version> versions(UUID tenantId, String name) {
        return repository.versions(model(tenantId, name, true));
    }

    public ModelViews.Version version(UUID tenantId, String name, String version) {
        return requireVersion(model(tenantId, name, true), version);
    }

    @Transactional
    public ModelViews.Version updateVersion(UUID tenantId, String name, String version, ModelRequests.UpdateVersion request) {
        StoredModel model = model(tenantId, name, false);
        ModelViews.Version current = requireVersion(model, version);
        requireEditable(current);
        ModelRequests.Hardware hardware = request.hardware() == null ? current.hardware() : request.hardware();
        repository.updateVersion(model, version, request.artifactUri(), request.servingRuntime(), hardware,
                request.card() == null ? current.card() : request.card(), now());
        ModelViews.Version updated = requireVersion(model, version);
        auditTrail.record(AuditEntry.success("model.version.update").tenant(tenantId).resource("model-version", name + "@" + version)
                .after(Map.of("artifactUri", updated.artifactUri(), "status", updated.status())));
        return updated;
    }

    /** Adds evaluation results to a draft's card. */
    @Transactional
    public ModelViews.Version attachEvaluations(UUID tenantId, String name, String version, ModelRequests.Evaluations request) {
        List<ModelCard.EvaluationResult> results = new ArrayList<>();
        if (request.results() != null) {
            results.addAll(request.results());
        }
        if (request.report() != null) {
            results.addAll(fromEvalReport(request.report()));
        }
        if (results.isEmpty()) {
            throw ApiException.invalid("results", "give card entries in 'results' or an evaluation report in 'report'");
        }
        ModelViews.Version current = version(tenantId, name, version);
        requireEditable(current);
        ModelCard card = current.card();
        List<ModelCard.EvaluationResult> merged = new ArrayList<>(card.evaluationResults() == null ? List.of() : card.evaluationResults());
        merged.addAll(results);
        ModelCard updated = new ModelCard(card.details(), card.intendedUse(), card.trainingData(), merged, card.limitations(),
                card.ethicalConsiderations(), card.environmentalImpact());
        return updateVersion(tenantId, name, version, new ModelRequests.UpdateVersion(null, null, null, updated));
    }

    /** Moves a version along the workflow; submitting validates the card, reviews need a comment. */
    @Transactional
    public ModelViews.Version transition(UUID tenantId, String name, String version, VersionStatus target, String comment) {
        String actor = callerContext.require().actorId();
        StoredModel model = model(tenantId, name, false);
        ModelViews.Version before = requireVersion(model, version);
        if (!before.status().next().contains(target)) {
            throw new ApiException(ProblemType.INVALID_TRANSITION, name + "@" + version + " is " + before.status()
                    + "; it can move to " + before.status().next() + ", not " + target);
        }
        if (target == VersionStatus.IN_REVIEW) {
            List<ModelCardValidator.Violation> violations = ModelCardValidator.validate(before.card());
            if (!violations.isEmpty()) {
                throw new ApiException(ProblemType.UNPROCESSABLE, "the model card is incomplete: "
                        + violations.stream().map(ModelCardValidator.Violation::field).toList(),
                        violations.stream().map(v -> new FieldError("card." + v.field(), v.message())).toList());
            }
        }
        boolean review = target == VersionStatus.APPROVED || target == VersionStatus.REJECTED;
        if (review) {
            requireIndependentReviewer(model, version, actor);
        }
        boolean submit = target == VersionStatus.IN_REVIEW;
        repository.move(model, version, new ModelRepository.Move(target, actor, comment, review, submit, now()));
        ModelViews.Version moved = requireVersion(model, version);
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("status", moved.status());
        if (comment != null) {
            after.put("comment", comment);
        }
        auditTrail.record(AuditEntry.success("model.version." + verb(target)).tenant(tenantId)
                .resource("model-version", name + "@" + version).before(Map.of("status", before.status())).after(after));
        return moved;
    }

    /**
     * Separation of duties: the reviewer is neither whoever submitted the version nor anyone behind the API key that
     * submitted it (its creator, the creator of the key that created it, and so on).
     */
    private void requireIndependentReviewer(StoredModel model, String version, String reviewer) {
        ModelRepository.Submission submission = repository.submission(model, version).orElse(null);
        if (submission != null && submission.principals().contains(reviewer)) {
            throw new ApiException(ProblemType.FORBIDDEN, model.view().name() + "@" + version + " was submitted by "
                    + submission.submittedBy() + "; a version is reviewed by someone other than its submitter");
        }
    }

    public String cardMarkdown(UUID tenantId, String name, String version) {
        ModelViews.Version found = version(tenantId, name, version);
        return ModelCardMarkdown.render(name, version, found.status().name(), found.card());
    }

    /**
     * The APPROVED versions a tenant's data plane may serve: the tenant's models and the platform's, where a tenant
     * model shadows a platform model of the same name (as in {@link #get}).
     */
    public List<ModelViews.Servable> servable(UUID tenantId) {
        return repository.servable(owner(tenantId));
    }

    private static String verb(VersionStatus target) {
        return switch (target) {
            case IN_REVIEW -> "submit";
            case APPROVED -> "approve";
            case REJECTED -> "reject";
            case DEPRECATED -> "deprecate";
            case DRAFT -> "draft";
        };
    }

    private static void requireEditable(ModelViews.Version version) {
        if (!version.status().editable()) {
            throw new ApiException(ProblemType.INVALID_TRANSITION, version.model() + "@" + version.version() + " is " + version.status()
                    + "; only DRAFT or REJECTED versions can be changed (create a new version instead)");
        }
    }

    /** Evaluation-harness report ({@code RetrievalEvaluation.Report}) to card entries: one per mode and metric. */
    @SuppressWarnings("unchecked")
    private static List<ModelCard.EvaluationResult> fromEvalReport(Map<String, Object> report) {
        String dataset = String.valueOf(report.getOrDefault("dataset", "unknown"));
        List<ModelCard.EvaluationResult> results = new ArrayList<>();
        Object modes = report.get("results");
        if (!(modes instanceof List<?> list)) {
            throw ApiException.invalid("report.results", "expected the 'results' list of an evaluation report");
        }
        for (Object entry : list) {
            Map<String, Object> mode = (Map<String, Object>) entry;
            for (String metric : List.of("recallAt5", "recallAt10", "mrrAt10", "ndcgAt10")) {
                if (mode.get(metric) instanceof Number value) {
                    results.add(new ModelCard.EvaluationResult(mode.get("mode") + " " + metric.replace("At", "@").toLowerCase(Locale.ROOT)
                            .replace("mrr", "MRR").replace("ndcg", "nDCG"), value.doubleValue(), dataset, "test", "atrium retrieval evaluation"));
                }
            }
        }
        return results;
    }

    private StoredModel model(UUID tenantId, String name, boolean includePlatform) {
        Optional<StoredModel> own = repository.findModel(owner(tenantId), name);
        if (own.isEmpty() && includePlatform && tenantId != null) {
            own = repository.findModel(PLATFORM, name);
        }
        return own.orElseThrow(() -> ApiException.notFound("model", name));
    }

    private ModelViews.Version requireVersion(StoredModel model, String version) {
        return repository.findVersion(model, version)
                .orElseThrow(() -> ApiException.notFound("model version", model.view().name() + "@" + version));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
