package dev.atrium.controlplane.deployment;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import dev.atrium.contract.RolloutReport;
import dev.atrium.contract.RolloutStates;
import dev.atrium.contract.VersionSample;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.ETags;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.identity.ActorType;
import dev.atrium.controlplane.identity.CallerContext;
import dev.atrium.controlplane.model.ModelRegistry;
import dev.atrium.controlplane.tenant.Tenant;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;

/**
 * Rollouts of a tenant's deployments: started, promoted and rolled back by its admins, judged by the rollout controller
 * from what data planes report. Every decision is kept with the measurements it was taken on and audited in the
 * tenant's chain; an automatic rollback is also logged as an error and counted in {@code atrium_rollout_rollbacks_total}
 * (the metric to alert on).
 */
@ApplicationScoped
public class RolloutService {

    private static final Logger LOG = Logger.getLogger(RolloutService.class);
    static final String CONTROLLER = "system:rollout-controller";
    static final List<Rollout.Step> DEFAULT_CANARY = List.of(new Rollout.Step(5, 300), new Rollout.Step(25, 300),
            new Rollout.Step(50, 300), new Rollout.Step(100, 300));

    @Inject
    RolloutRepository rollouts;

    @Inject
    DeploymentRepository deployments;

    @Inject
    DeploymentService deploymentService;

    @Inject
    ModelRegistry registry;

    @Inject
    AuditTrail auditTrail;

    @Inject
    jakarta.enterprise.event.Event<SelfHostedChanged> selfHostedChanged;

    @Inject
    CallerContext callerContext;

    @Inject
    MeterRegistry metrics;

    @Transactional
    public Rollout.Status start(UUID tenantId, String name, RolloutRequests.StartRollout request, String ifMatch) {
        Tenant.require(tenantId);
        String owner = ModelRegistry.owner(tenantId);
        Deployment deployment = deployments.lock(owner, name).orElseThrow(() -> ApiException.notFound("deployment", name));
        ETags.requireMatch(ifMatch, deployment.etag());
        if (rollouts.running(owner, name).isPresent()) {
            throw new ApiException(ProblemType.CONFLICT, "deployment '" + name + "' already has a rollout running; promote or roll it back first");
        }
        if (request.version().equals(deployment.version())) {
            throw DeploymentService.unprocessable("version", "deployment '" + name + "' serves version " + request.version()
                    + " already; a rollout moves it to another APPROVED version");
        }
        if (deploymentService.requireDeployable(tenantId, deployment.model(), request.version(), "version")
                == dev.atrium.controlplane.model.ModelType.EMBEDDING) {
            throw DeploymentService.unprocessable("model", "an embedding deployment has no rollouts: indexes are tied to its "
                    + "version; deploy the new version under another name and re-index");
        }
        Deployment.Upstream upstream;
        if (deployment.hasOwnServer()) {
            if (request.upstream() != null) {
                throw DeploymentService.unprocessable("upstream", "a self-hosted deployment's candidate runs on a second model server "
                        + "of its own, not at a backend URL");
            }
            deploymentService.requireArtifact(tenantId, deployment.model(), request.version());
            upstream = null;
        } else if (request.upstream() == null) {
            throw DeploymentService.unprocessable("upstream", "is required: the candidate version's backend");
        } else {
            upstream = deploymentService.checkedUpstream(tenantId, request.upstream());
        }
        List<Rollout.Step> steps = steps(request);
        Rollout.Slo slo = slo(request.slo());
        Instant now = now();
        String actor = callerContext.require().actorId();
        Rollout rollout = new Rollout(UUID.randomUUID(), name, request.strategy(), deployment.version(), request.version(),
                upstream, steps, Rollout.AB.equals(request.strategy()) ? stickyBy(request) : null, slo, Rollout.RUNNING, 0,
                now, now, actor, null, null, null, 0);
        rollouts.insert(owner, rollout);
        rollouts.decide(owner, rollout.id(), new Rollout.Decision(now, "start", 0, actor, request.strategy() + " from version "
                + deployment.version() + " to " + request.version() + ", first at " + steps.getFirst().weight() + "%", List.of()));
        auditTrail.record(AuditEntry.success("deployment.rollout.start").tenant(tenantId).resource("deployment", name)
                .after(rollout));
        if (deployment.hasOwnServer()) {
            // the candidate's model server starts in the other slot; data planes send it traffic once it is Ready
            selfHostedChanged.fire(new SelfHostedChanged(tenantId));
        }
        return status(tenantId, name);
    }

    public Rollout.Status status(UUID tenantId, String name) {
        Tenant.require(tenantId);
        String owner = ModelRegistry.owner(tenantId);
        deployments.find(owner, name).orElseThrow(() -> ApiException.notFound("deployment", name));
        Rollout rollout = rollouts.latest(owner, name).orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND,
                "deployment '" + name + "' has had no rollout"));
        Instant now = now();
        return new Rollout.Status(rollout, RolloutJudge.metrics(rollouts.totals(rollout.id(), rollout.step(), windowStart(rollout, now))),
                RolloutJudge.metrics(rollouts.totals(rollout.id(), rollout.step(), rollout.stepStartedAt())),
                rollouts.decisions(rollout.id()));
    }

    /** A person ends the rollout: the candidate becomes the deployment's version (promote) or traffic returns to the stable one. */
    @Transactional
    public Rollout.Status end(UUID tenantId, String name, boolean promote, String reason) {
        Tenant.require(tenantId);
        String owner = ModelRegistry.owner(tenantId);
        deployments.lock(owner, name).orElseThrow(() -> ApiException.notFound("deployment", name));
        Rollout rollout = rollouts.lockRunning(owner, name).orElseThrow(() -> new ApiException(ProblemType.CONFLICT,
                "deployment '" + name + "' has no rollout running"));
        String actor = callerContext.require().actorId();
        String why = reason == null || reason.isBlank() ? (promote ? "promoted" : "rolled back") + " by " + actor : reason;
        if (promote) {
            Deployment deployment = deployments.find(owner, name).orElseThrow();
            deploymentService.requireDeployable(tenantId, deployment.model(), rollout.candidateVersion(), "version");
            if (deployment.hasOwnServer()) {
                deploymentService.candidateNotReady(tenantId, deployment, rollout).ifPresent(waiting -> {
                    throw new ApiException(ProblemType.CONFLICT, "rollout of '" + name + "' cannot be promoted: " + waiting
                            + "; promote once it is, or roll back");
                });
            }
            promote(tenantId, owner, rollout, actor, ActorType.USER, why, List.of());
        } else {
            rollBack(tenantId, owner, rollout, actor, ActorType.USER, why, List.of(), "person");
        }
        return status(tenantId, name);
    }

    /**
     * What a data plane measured of the tenant's rollouts, counted once per report id: kept for the rollout's current
     * step (samples of a rollout that ended, of another tenant's rollout, or naming a version the rollout does not serve
     * are dropped). The answer is the tenant's running rollouts now.
     */
    @Transactional
    public RolloutStates report(UUID tenantId, String region, RolloutReport report) {
        String owner = ModelRegistry.owner(tenantId);
        Instant now = now();
        Map<UUID, Optional<Rollout>> seen = new java.util.HashMap<>();
        // a report sent again (its answer was lost) is answered, but its samples were counted the first time
        boolean first = report.samples().isEmpty() || rollouts.firstReceipt(owner, report.reportId(), now);
        for (VersionSample sample : first ? report.samples() : List.<VersionSample>of()) {
            Optional<Rollout> rollout = seen.computeIfAbsent(sample.rolloutId(), id -> rollouts.find(owner, id));
            if (rollout.isEmpty() || !rollout.get().running() || sample.step() != rollout.get().step()
                    || !rollout.get().deployment().equals(sample.deployment()) || sample.errors() > sample.requests()
                    || sample.guardrailBlocks() > sample.requests()) {
                continue;
            }
            String expected = "candidate".equals(sample.role()) ? rollout.get().candidateVersion() : rollout.get().stableVersion();
            if (expected.equals(sample.version()) && sample.requests() > 0) {
                rollouts.insertSample(owner, region, now, sample);
            }
        }
        return new RolloutStates(rollouts.runningOf(owner).stream()
                .map(r -> new RolloutStates.Running(r.deployment(), r.id(), r.step())).toList());
    }

    /**
     * Merges a running rollout's samples that no judgement reads one by one any more (older than its SLO window plus
     * two minutes: only whole-step sums need them); skipped while another control plane instance holds the rollout.
     * The number of rows removed.
     */
    @Transactional
    public int compactSamples(UUID rolloutId) {
        Optional<RolloutRepository.Owned> locked = rollouts.lockRunningForJudging(rolloutId);
        if (locked.isEmpty()) {
            return 0;
        }
        Instant before = now().minusSeconds(locked.get().rollout().slo().windowSeconds()).minus(java.time.Duration.ofMinutes(2));
        return rollouts.compact(locked.get().owner(), rolloutId, before);
    }

    /** Running rollouts of the tenant by deployment name (what its data planes are told to serve). */
    Map<String, Rollout> runningOf(UUID tenantId) {
        Map<String, Rollout> running = new java.util.HashMap<>();
        rollouts.runningOf(ModelRegistry.owner(tenantId)).forEach(r -> running.put(r.deployment(), r));
        return running;
    }

    /**
     * One judgement of one running rollout (the controller calls this in its own transaction per rollout). Skipped when
     * another control plane instance holds it.
     */
    @Transactional
    public Optional<RolloutJudge.Action> judge(UUID rolloutId) {
        // the deployment first, then the rollout: the order a person's promote or rollback takes them in
        Optional<RolloutRepository.Owned> unlocked = rollouts.findOwned(rolloutId);
        if (unlocked.isEmpty() || deployments.lock(unlocked.get().owner(), unlocked.get().rollout().deployment()).isEmpty()) {
            return Optional.empty();
        }
        Optional<RolloutRepository.Owned> locked = rollouts.lockRunningForJudging(rolloutId);
        if (locked.isEmpty()) {
            return Optional.empty();
        }
        String owner = locked.get().owner();
        Rollout rollout = locked.get().rollout();
        UUID tenantId = UUID.fromString(owner);
        Instant now = now();
        List<RolloutRepository.Totals> window = rollouts.totals(rollout.id(), rollout.step(), windowStart(rollout, now));
        // only a canary moves on, on the whole step's totals; an A/B split's or shadow's step lasts until a person acts
        List<RolloutRepository.Totals> step = Rollout.CANARY.equals(rollout.strategy())
                ? rollouts.totals(rollout.id(), rollout.step(), rollout.stepStartedAt()) : List.of();
        List<Rollout.VersionMetrics> evidence = RolloutJudge.metrics(window);
        Optional<Deployment> deployment = deployments.find(owner, rollout.deployment());
        if (deployment.isEmpty() || !approved(tenantId, deployment.get().model(), rollout.candidateVersion())) {
            rollBack(tenantId, owner, rollout, CONTROLLER, ActorType.SYSTEM, "version " + rollout.candidateVersion()
                    + " is no longer APPROVED for serving", evidence, "withdrawn");
            return Optional.of(RolloutJudge.Action.ROLLBACK);
        }
        RolloutJudge.Verdict verdict = RolloutJudge.judge(rollout, candidate(window), candidate(step), now);
        switch (verdict.action()) {
            case ROLLBACK -> rollBack(tenantId, owner, rollout, CONTROLLER, ActorType.SYSTEM, "SLO breached: " + verdict.reason(),
                    evidence, "slo");
            case PROMOTE -> {
                if (deployment.get().hasOwnServer()
                        && deploymentService.candidateNotReady(tenantId, deployment.get(), rollout).isPresent()) {
                    // a region still waits for the candidate's server: promoting would send its traffic nowhere
                    return Optional.of(RolloutJudge.Action.HOLD);
                }
                promote(tenantId, owner, rollout, CONTROLLER, ActorType.SYSTEM, verdict.reason(), RolloutJudge.metrics(step));
            }
            case ADVANCE -> {
                int next = rollout.step() + 1;
                rollouts.advance(rollout.id(), next, now);
                String why = verdict.reason() + "; now " + rollout.steps().get(next).weight() + "%";
                rollouts.decide(owner, rollout.id(), new Rollout.Decision(now, "advance", next, CONTROLLER, why, RolloutJudge.metrics(step)));
                auditTrail.record(AuditEntry.success("deployment.rollout.advance").tenant(tenantId)
                        .resource("deployment", rollout.deployment()).actor(CONTROLLER, ActorType.SYSTEM).detail(why));
            }
            case HOLD -> {
                // nothing to record: the status shows the live metrics
            }
        }
        return Optional.of(verdict.action());
    }

    private void promote(UUID tenantId, String owner, Rollout rollout, String actor, ActorType actorType, String why,
                         List<Rollout.VersionMetrics> evidence) {
        Deployment before = deployments.lock(owner, rollout.deployment()).orElseThrow();
        Instant now = now();
        // a self-hosted deployment keeps its server settings; the candidate's warm server, in the other slot, now serves it
        Deployment after = new Deployment(before.name(), before.model(), rollout.candidateVersion(), before.kind(),
                before.hasOwnServer() ? before.upstream() : rollout.upstream(), before.fallback(), before.createdAt(), before.createdBy(),
                now, actor, before.etag(), before.selfHosted(), null);
        deployments.update(owner, after);
        if (before.hasOwnServer()) {
            deployments.flipServerSlot(owner, before.name());
            selfHostedChanged.fire(new SelfHostedChanged(tenantId));
        }
        rollouts.end(rollout.id(), Rollout.PROMOTED, now, actor, why);
        rollouts.dropSamples(rollout.id());
        rollouts.decide(owner, rollout.id(), new Rollout.Decision(now, "promote", rollout.step(), actor, why, evidence));
        auditTrail.record(AuditEntry.success("deployment.rollout.promote").tenant(tenantId).resource("deployment", rollout.deployment())
                .actor(actor, actorType).detail(why).before(before).after(deployments.find(owner, rollout.deployment()).orElseThrow()));
    }

    private void rollBack(UUID tenantId, String owner, Rollout rollout, String actor, ActorType actorType, String why,
                          List<Rollout.VersionMetrics> evidence, String trigger) {
        Instant now = now();
        rollouts.end(rollout.id(), Rollout.ROLLED_BACK, now, actor, why);
        if (deployments.find(owner, rollout.deployment()).filter(Deployment::hasOwnServer).isPresent()) {
            selfHostedChanged.fire(new SelfHostedChanged(tenantId)); // its candidate's server goes
        }
        rollouts.dropSamples(rollout.id());
        rollouts.decide(owner, rollout.id(), new Rollout.Decision(now, "rollback", rollout.step(), actor, why, evidence));
        auditTrail.record(AuditEntry.success("deployment.rollout.rollback").tenant(tenantId).resource("deployment", rollout.deployment())
                .actor(actor, actorType).detail(why));
        metrics.counter("atrium.rollout.rollbacks", "trigger", trigger).increment();
        if (actorType == ActorType.SYSTEM) {
            LOG.errorf("ALERT rollout of deployment %s (tenant %s) to version %s rolled back automatically: %s", rollout.deployment(),
                    tenantId, rollout.candidateVersion(), why);
        }
    }

    private boolean approved(UUID tenantId, String model, String version) {
        return registry.servable(tenantId).stream().anyMatch(s -> s.model().equals(model) && s.version().equals(version));
    }

    private static RolloutRepository.Totals candidate(List<RolloutRepository.Totals> totals) {
        return totals.stream().filter(t -> "candidate".equals(t.role())).findFirst().orElse(null);
    }

    private static Instant windowStart(Rollout rollout, Instant now) {
        Instant window = now.minusSeconds(rollout.slo().windowSeconds());
        return window.isAfter(rollout.stepStartedAt()) ? window : rollout.stepStartedAt();
    }

    private static List<Rollout.Step> steps(RolloutRequests.StartRollout request) {
        switch (request.strategy()) {
            case Rollout.CANARY -> {
                if (request.split() != null || request.stickyBy() != null) {
                    throw DeploymentService.unprocessable("strategy", "a canary takes steps; split and stickyBy belong to ab and shadow");
                }
                if (request.steps() == null) {
                    return DEFAULT_CANARY;
                }
                List<Rollout.Step> steps = new ArrayList<>();
                int previous = 0;
                for (RolloutRequests.StepSettings step : request.steps()) {
                    if (step.weight() <= previous) {
                        throw DeploymentService.unprocessable("steps", "weights must rise from step to step");
                    }
                    previous = step.weight();
                    steps.add(new Rollout.Step(step.weight(), step.dwellSeconds()));
                }
                return List.copyOf(steps);
            }
            case Rollout.AB -> {
                if (request.steps() != null || request.split() == null || request.split() >= 100) {
                    throw DeploymentService.unprocessable("split", "an ab rollout takes split, the candidate's share (1 to 99 percent)");
                }
                return List.of(new Rollout.Step(request.split(), 0));
            }
            default -> {
                if (request.steps() != null || request.stickyBy() != null) {
                    throw DeploymentService.unprocessable("strategy", "a shadow takes split only (the share of requests copied)");
                }
                return List.of(new Rollout.Step(request.split() == null ? 100 : request.split(), 0));
            }
        }
    }

    private static String stickyBy(RolloutRequests.StartRollout request) {
        return request.stickyBy() == null ? "key" : request.stickyBy();
    }

    private static Rollout.Slo slo(RolloutRequests.SloSettings settings) {
        if (settings == null) {
            return new Rollout.Slo(0.05, null, null, 20, 60);
        }
        return new Rollout.Slo(settings.maxErrorRate() == null ? 0.05 : settings.maxErrorRate(), settings.maxP95LatencyMs(),
                settings.maxGuardrailBlockRate(), settings.minRequests() == null ? 20 : settings.minRequests(),
                settings.windowSeconds() == null ? 60 : settings.windowSeconds());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
