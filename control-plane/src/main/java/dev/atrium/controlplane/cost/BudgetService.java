package dev.atrium.controlplane.cost;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.atrium.controlplane.apikey.ApiKeyService;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.FieldError;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.identity.ActorType;
import dev.atrium.controlplane.identity.CallerContext;
import dev.atrium.controlplane.tenant.Tenant;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;

/**
 * Tenants' budgets: defined by tenant admins (audited), measured against the usage ledger in their period and time
 * zone, forecast to the period's end, and watched: each threshold of the actual spend, and of the forecast, raises an
 * alert once per period ({@code budget.alert} in the tenant's audit chain and an {@code ALERT} log line).
 *
 * <p>The forecast is the spend so far plus a daily rate times the days left: the rate is an exponentially weighted
 * average (weight {@value #FORECAST_WEIGHT} on the newest day) of the scope's spend on each of the last
 * {@value #FORECAST_DAYS} whole local days; without any, the period's own rate so far.
 */
@ApplicationScoped
public class BudgetService {

    private static final Logger LOG = Logger.getLogger(BudgetService.class);
    static final int MAX_BUDGETS = 100;
    static final double FORECAST_WEIGHT = 0.3;
    static final int FORECAST_DAYS = 14;
    static final List<Integer> DEFAULT_THRESHOLDS = List.of(50, 80, 100);
    static final String WATCHER = "system:budget-watcher";

    @Inject
    BudgetRepository budgets;

    @Inject
    UsageRepository usage;

    @Inject
    ApiKeyService apiKeys;

    @Inject
    CostConfig costs;

    @Inject
    CallerContext callerContext;

    @Inject
    AuditTrail auditTrail;

    public List<Budget.View> list(UUID tenantId) {
        Tenant.require(tenantId);
        Instant now = Instant.now();
        return budgets.list(tenantId).stream().map(b -> new Budget.View(b, status(tenantId, b, now))).toList();
    }

    public Budget.View get(UUID tenantId, UUID id) {
        Tenant.require(tenantId);
        Budget budget = budgets.find(tenantId, id).orElseThrow(() -> ApiException.notFound("budget", id));
        return new Budget.View(budget, status(tenantId, budget, Instant.now()));
    }

    @Transactional
    public Budget.View create(UUID tenantId, BudgetRequests.CreateBudget request) {
        Tenant.require(tenantId);
        UUID apiKeyId = null;
        if (request.apiKeyId() != null) {
            try {
                apiKeyId = UUID.fromString(request.apiKeyId());
                apiKeys.get(tenantId, apiKeyId);
            } catch (IllegalArgumentException | ApiException notTheTenants) {
                throw unprocessable("apiKeyId", "the tenant has no API key " + request.apiKeyId());
            }
        }
        String zone = request.timeZone() == null ? "UTC" : request.timeZone();
        // IANA names only (the database buckets days by the same name): no offsets like +05:00, whose sign it reads reversed
        if (!ZoneId.getAvailableZoneIds().contains(zone)) {
            throw unprocessable("timeZone", "'" + zone + "' is not an IANA time zone name (e.g. Europe/Berlin)");
        }
        if (request.customStart() != null && (request.customStart().getYear() < 2000 || request.customStart().getYear() > 2200)) {
            throw unprocessable("customStart", "must be between the years 2000 and 2200");
        }
        boolean custom = BudgetPeriod.CUSTOM.equals(request.period());
        if (custom != (request.customStart() != null) || custom != (request.customDays() != null)) {
            throw unprocessable("period", "customStart and customDays are given for a custom period, and only for it");
        }
        String action = request.action() == null ? "block" : request.action();
        requireAction(action, request.downgradeTo(), apiKeyId);
        if (budgets.count(tenantId) >= MAX_BUDGETS) {
            throw new ApiException(ProblemType.CONFLICT, "the tenant has " + MAX_BUDGETS + " budgets, the most it may have");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String actor = callerContext.require().actorId();
        Budget budget = new Budget(UUID.randomUUID(), request.name(), apiKeyId, request.model(), request.period(), zone,
                request.customStart(), request.customDays(), request.limitKind(), Money.plain(request.limit()),
                thresholds(request.thresholds()), request.forecastThreshold() == null ? 100 : request.forecastThreshold(), action,
                request.downgradeTo(), now, actor, now, actor, 0);
        if (!budgets.insert(tenantId, budget)) {
            throw new ApiException(ProblemType.CONFLICT, "the tenant already has a budget named '" + request.name() + "'");
        }
        auditTrail.record(AuditEntry.success("budget.create").tenant(tenantId).resource("budget", budget.id()).after(budget));
        return new Budget.View(budget, status(tenantId, budget, now));
    }

    @Transactional
    public Budget.View update(UUID tenantId, UUID id, BudgetRequests.UpdateBudget request, String ifMatch) {
        Tenant.require(tenantId);
        Budget before = budgets.lock(tenantId, id).orElseThrow(() -> ApiException.notFound("budget", id));
        dev.atrium.controlplane.common.ETags.requireMatch(ifMatch, before.etag());
        String action = request.action() == null ? before.action() : request.action();
        // leaving the downgrade action leaves its model behind
        String downgradeTo = request.downgradeTo() != null ? request.downgradeTo()
                : "downgrade".equals(action) ? before.downgradeTo() : null;
        requireAction(action, downgradeTo, before.apiKeyId());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Budget after = new Budget(before.id(), before.name(), before.apiKeyId(), before.model(), before.period(), before.timeZone(),
                before.customStart(), before.customDays(), before.limitKind(),
                request.limit() == null ? before.limit() : Money.plain(request.limit()),
                request.thresholds() == null ? before.thresholds() : thresholds(request.thresholds()),
                request.forecastThreshold() == null ? before.forecastThreshold() : request.forecastThreshold(), action, downgradeTo,
                before.createdAt(), before.createdBy(), now, callerContext.require().actorId(), before.etag() + 1);
        budgets.update(tenantId, after);
        auditTrail.record(AuditEntry.success("budget.update").tenant(tenantId).resource("budget", id).before(before).after(after));
        return new Budget.View(after, status(tenantId, after, now));
    }

    @Transactional
    public void delete(UUID tenantId, UUID id, String ifMatch) {
        Tenant.require(tenantId);
        Budget before = budgets.lock(tenantId, id).orElseThrow(() -> ApiException.notFound("budget", id));
        dev.atrium.controlplane.common.ETags.requireMatch(ifMatch, before.etag());
        budgets.delete(tenantId, id);
        auditTrail.record(AuditEntry.success("budget.delete").tenant(tenantId).resource("budget", id).before(before));
    }

    /** The budget's period at {@code now}, what was spent in it, the forecast to its end, and whether it is used up. */
    Budget.Status status(UUID tenantId, Budget budget, Instant now) {
        ZoneId zone = ZoneId.of(budget.timeZone());
        BudgetPeriod period = BudgetPeriod.containing(budget.period(), zone, budget.customStart(), budget.customDays(), now);
        boolean started = !now.isBefore(period.start());
        BigDecimal spent = started ? Money.plain(usage.spent(tenantId, period.start(), now.isBefore(period.end()) ? now : period.end(),
                budget.apiKeyId(), budget.model(), budget.limitKind())) : BigDecimal.ZERO;
        // a custom budget whose first period lies ahead has spent and will spend nothing yet
        BigDecimal forecast = started ? forecast(tenantId, budget, period, spent, zone, now) : BigDecimal.ZERO;
        return new Budget.Status(period.start(), period.end(), spent, budget.limit(), percent(spent, budget.limit()), forecast,
                percent(forecast, budget.limit()), spent.compareTo(budget.limit()) >= 0,
                Budget.MONEY.equals(budget.limitKind()) ? costs.currency() : null);
    }

    private BigDecimal forecast(UUID tenantId, Budget budget, BudgetPeriod period, BigDecimal spent, ZoneId zone, Instant now) {
        LocalDate today = now.atZone(zone).toLocalDate();
        Instant historyStart = today.minusDays(FORECAST_DAYS).atStartOfDay(zone).toInstant();
        Instant todayStart = today.atStartOfDay(zone).toInstant();
        Map<String, BigDecimal> byDay = usage.spentByDay(tenantId, historyStart, todayStart, budget.apiKeyId(), budget.model(),
                budget.limitKind(), zone);
        double rate;
        if (byDay.isEmpty()) {
            double elapsedDays = Duration.between(period.start(), now).toMillis() / 86_400_000.0;
            rate = elapsedDays <= 0 ? 0 : spent.doubleValue() / Math.max(elapsedDays, 1.0 / 24);
        } else {
            // every day of the window counts, the quiet ones as zero, oldest first
            double average = -1;
            for (int back = FORECAST_DAYS; back >= 1; back--) {
                double day = byDay.getOrDefault(today.minusDays(back).toString(), BigDecimal.ZERO).doubleValue();
                average = average < 0 ? day : FORECAST_WEIGHT * day + (1 - FORECAST_WEIGHT) * average;
            }
            rate = average;
        }
        double daysLeft = Math.max(0, Duration.between(now, period.end()).toMillis() / 86_400_000.0);
        return Money.plain(spent.add(BigDecimal.valueOf(rate * daysLeft)).setScale(6, RoundingMode.HALF_EVEN));
    }

    /**
     * Raises the alerts every budget is due now: each threshold the spend reached, and the forecast threshold the
     * forecast reached, once per period. Returns how many were raised.
     */
    public int watch(Instant now) {
        List<BudgetRepository.Owned> all = dev.atrium.controlplane.identity.TenantScope.asPlatform(() ->
                io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(budgets::all));
        int raised = 0;
        for (BudgetRepository.Owned owned : all) {
            try {
                // each budget in a transaction of its own: one that fails delays no other tenant's alerts
                List<String> alerts = dev.atrium.controlplane.identity.TenantScope.asPlatform(() ->
                        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> watch(owned, now)));
                alerts.forEach(LOG::warn);
                raised += alerts.size();
            } catch (RuntimeException e) {
                LOG.errorf("checking budget %s of tenant %s failed; the next evaluation retries: %s", owned.budget().id(), owned.tenantId(),
                        e.getMessage());
            }
        }
        return raised;
    }

    /** The alerts one budget is due, raised and audited; their log lines, written once the transaction committed. */
    private List<String> watch(BudgetRepository.Owned owned, Instant now) {
        Budget budget = owned.budget();
        Budget.Status status = status(owned.tenantId(), budget, now);
        if (now.isBefore(status.periodStart())) {
            return List.of();
        }
        List<String> raised = new ArrayList<>();
        for (int threshold : budget.thresholds()) {
            if (reached(status.spent(), threshold, budget.limit())) {
                alert(owned.tenantId(), budget, status, "actual", threshold, status.spent(), now).ifPresent(raised::add);
            }
        }
        // a forecast threshold of 0 raises no forecast alert
        if (budget.forecastThreshold() != null && budget.forecastThreshold() > 0
                && reached(status.forecast(), budget.forecastThreshold(), budget.limit())) {
            alert(owned.tenantId(), budget, status, "forecast", budget.forecastThreshold(), status.forecast(), now).ifPresent(raised::add);
        }
        return raised;
    }

    /** {@code amount >= threshold % of limit}, exactly. */
    private static boolean reached(BigDecimal amount, int threshold, BigDecimal limit) {
        return amount.multiply(BigDecimal.valueOf(100)).compareTo(limit.multiply(BigDecimal.valueOf(threshold))) >= 0;
    }

    private java.util.Optional<String> alert(UUID tenantId, Budget budget, Budget.Status status, String kind, int threshold,
                                             BigDecimal amount, Instant now) {
        if (!budgets.raise(tenantId, budget, status.periodStart(), kind, threshold, amount, now)) {
            return java.util.Optional.empty();
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("budget", budget.name());
        detail.put("kind", kind);
        detail.put("threshold", threshold);
        detail.put(kind.equals("actual") ? "spent" : "forecast", amount);
        detail.put("limit", budget.limit());
        detail.put("limitKind", budget.limitKind());
        detail.put("periodEnd", status.periodEnd());
        auditTrail.record(AuditEntry.success("budget.alert").tenant(tenantId).resource("budget", budget.id())
                .actor(WATCHER, ActorType.SYSTEM).after(detail));
        return java.util.Optional.of(String.format("ALERT budget %s of tenant %s: %s at %d%% of its limit (%s of %s %s) until %s",
                budget.name(), tenantId, kind, threshold, amount.toPlainString(), budget.limit().toPlainString(), budget.limitKind(),
                status.periodEnd()));
    }

    private static double percent(BigDecimal amount, BigDecimal limit) {
        return amount.multiply(BigDecimal.valueOf(100)).divide(limit, 4, RoundingMode.HALF_EVEN).doubleValue();
    }

    private static List<Integer> thresholds(List<Integer> requested) {
        return new ArrayList<>(new TreeSet<>(requested == null ? DEFAULT_THRESHOLDS : requested));
    }

    private static void requireAction(String action, String downgradeTo, UUID apiKeyId) {
        if ("downgrade".equals(action) && downgradeTo == null) {
            throw unprocessable("downgradeTo", "is required to downgrade: the cheaper model requests are sent to");
        }
        if (!"downgrade".equals(action) && downgradeTo != null) {
            throw unprocessable("downgradeTo", "belongs to the downgrade action only");
        }
        if ("suspend-key".equals(action) && apiKeyId == null) {
            throw unprocessable("action", "suspend-key needs a budget of one API key (apiKeyId)");
        }
    }

    private static ApiException unprocessable(String field, String message) {
        return new ApiException(ProblemType.UNPROCESSABLE, field + ": " + message, List.of(new FieldError(field, message)));
    }
}
