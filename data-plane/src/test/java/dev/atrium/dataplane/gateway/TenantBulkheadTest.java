package dev.atrium.dataplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.Problem;

class TenantBulkheadTest {

    private static final UUID TENANT = UUID.fromString("6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f");
    private static final UUID NEIGHBOUR = UUID.fromString("0a9b8c7d-6e5f-4a3b-9c1d-2e3f4a5b6c7d");

    @Test
    void aTenantAtItsLimitIsRefusedWithRetryAfterAndItsNeighbourIsNot() {
        TenantBulkhead bulkhead = new TenantBulkhead(3);
        List<TenantBulkhead.Permit> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(bulkhead.enter(TENANT));
        }

        assertThatThrownBy(() -> bulkhead.enter(TENANT)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.problem()).isEqualTo(Problem.RATE_LIMITED);
            assertThat(e.retryAfterSeconds()).isEqualTo(1);
        });
        bulkhead.enter(NEIGHBOUR).close();

        held.getFirst().close();
        held.getFirst().close(); // a second close frees nothing more
        held.add(bulkhead.enter(TENANT));
        assertThatThrownBy(() -> bulkhead.enter(TENANT)).isInstanceOf(ApiException.class);
    }
}
