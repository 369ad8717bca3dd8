package dev.atrium.dataplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.atrium.contract.RolloutReport;
import dev.atrium.contract.RolloutStates;
import dev.atrium.dataplane.controlplane.ControlPlaneClient;
import dev.atrium.dataplane.testing.ControlPlaneSettings;
import dev.atrium.dataplane.upstream.Route;

/**
 * A rollout report whose answer never came is sent again with the same id (so the control plane counts it once), and
 * only then are newer samples reported; one refused with 429 is not taken, so its samples join the next report. The
 * control plane is a SIMULATION (a client recording what it is sent and failing as told).
 */
class RolloutReportRetryTest {

    private final UUID tenant = UUID.randomUUID();
    private final UUID rollout = UUID.randomUUID();
    private final Route candidate = new Route("support-bot", null, "support-llm", "2", new Route.Arm(rollout, 0, Route.Arm.CANDIDATE));
    private final SimulatedControlPlane controlPlane = new SimulatedControlPlane();
    private final RolloutMeter meter = new RolloutMeter();

    RolloutReportRetryTest() {
        meter.controlPlane = controlPlane;
        meter.deployments = new TenantDeployments(ControlPlaneSettings.forGateway(), controlPlane);
    }

    @Test
    void aReportWithoutAnAnswerIsSentAgainAsItIsBeforeNewerSamples() {
        meter.served(tenant, candidate, 40, false);
        meter.served(tenant, candidate, 40, true);
        controlPlane.failNext = new ControlPlaneClient.UnreachableException("read timed out", null, false, null);

        meter.report(tenant);
        meter.served(tenant, candidate, 40, false);
        meter.report(tenant);
        meter.report(tenant);

        List<RolloutReport> sent = controlPlane.reports;
        assertThat(sent).hasSize(3);
        assertThat(sent.get(1)).as("the unanswered report, as it was").isEqualTo(sent.get(0));
        assertThat(sent.get(0).samples()).singleElement().satisfies(s -> {
            assertThat(s.requests()).isEqualTo(2);
            assertThat(s.errors()).isEqualTo(1);
        });
        assertThat(sent.get(2).reportId()).isNotEqualTo(sent.get(0).reportId());
        assertThat(sent.get(2).samples()).singleElement().satisfies(s -> assertThat(s.requests()).isEqualTo(1));
    }

    @Test
    void aReportUnansweredForTenMinutesIsDroppedAndNewerSamplesGoOut() {
        java.util.concurrent.atomic.AtomicReference<java.time.Instant> now = new java.util.concurrent.atomic.AtomicReference<>(
                java.time.Instant.parse("2026-11-30T10:00:00Z"));
        meter.clock = new java.time.Clock() {
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            public java.time.Instant instant() {
                return now.get();
            }
        };
        meter.served(tenant, candidate, 40, false);
        controlPlane.failAlways = new ControlPlaneClient.UnreachableException("502 from the load balancer", null, true, null);
        meter.report(tenant);
        now.set(now.get().plus(Duration.ofMinutes(9)));
        meter.report(tenant);
        assertThat(controlPlane.reports).hasSize(2).extracting(RolloutReport::reportId).containsOnly(controlPlane.reports.getFirst().reportId());

        controlPlane.failAlways = null;
        meter.served(tenant, candidate, 40, false);
        now.set(now.get().plus(Duration.ofMinutes(2)));
        meter.report(tenant);

        RolloutReport last = controlPlane.reports.getLast();
        assertThat(last.reportId()).as("the stale report was dropped, not sent again").isNotEqualTo(controlPlane.reports.getFirst().reportId());
        assertThat(last.samples()).singleElement().satisfies(s -> assertThat(s.requests()).isEqualTo(1));
    }

    @Test
    void aReportRefusedWith429WasNotTakenAndItsSamplesJoinTheNextOne() {
        meter.served(tenant, candidate, 40, false);
        controlPlane.failNext = new ControlPlaneClient.RefusedException("slow down", 429, Duration.ofSeconds(1));

        meter.report(tenant);
        meter.served(tenant, candidate, 40, false);
        meter.report(tenant);

        assertThat(controlPlane.reports).hasSize(2);
        assertThat(controlPlane.reports.get(1).reportId()).isNotEqualTo(controlPlane.reports.get(0).reportId());
        assertThat(controlPlane.reports.get(1).samples()).singleElement().satisfies(s -> assertThat(s.requests()).isEqualTo(2));
    }

    private final class SimulatedControlPlane extends ControlPlaneClient {
        final List<RolloutReport> reports = new ArrayList<>();
        UnreachableException failNext;
        UnreachableException failAlways;

        SimulatedControlPlane() {
            super(ControlPlaneSettings.forGateway(), new ObjectMapper());
        }

        @Override
        public RolloutStates reportRollouts(UUID tenantId, RolloutReport report) throws UnreachableException {
            reports.add(report);
            if (failAlways != null) {
                throw failAlways;
            }
            if (failNext != null) {
                UnreachableException failure = failNext;
                failNext = null;
                throw failure;
            }
            return new RolloutStates(List.of(new RolloutStates.Running("support-bot", rollout, 0)));
        }

        @Override
        public List<dev.atrium.contract.ServedDeployment> deployments(UUID tenantId) {
            return List.of();
        }
    }
}
