package dev.atrium.dataplane.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;

import dev.atrium.dataplane.storage.TenantDatabase;

/**
 * A failed write of buffered usage keeps the events for the next flush. The database is simulated (a connection
 * proxy that records the tenant of each insert, and a first transaction that fails), because what is under test is
 * the buffer, not PostgreSQL; {@code UsageMeteringTest} covers the real outbox end to end.
 */
class UsageOutboxFlushTest {

    @Test
    void aFailedWriteKeepsTheBatchForTheNextFlush() {
        List<UUID> written = new ArrayList<>();
        FlakyDatabase database = new FlakyDatabase(written);
        UsageOutbox outbox = new UsageOutbox();
        outbox.json = new ObjectMapper().registerModule(new JavaTimeModule());
        outbox.database = database;
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        outbox.record(new Usage(first, null, "query", null, 1, 0, 0, 0, Map.of()));
        outbox.record(new Usage(second, null, "chat", "m", 3, 4, 0, 0, Map.of()));

        database.failNext = true;
        assertThatThrownBy(outbox::flush).hasMessageContaining("database unavailable");
        assertThat(written).isEmpty();

        outbox.flush();
        assertThat(written).containsExactlyInAnyOrder(first, second);
        outbox.flush();
        assertThat(written).hasSize(2);
    }

    /** Simulated: fails the next transaction when asked, otherwise hands the work a connection that records inserts. */
    static final class FlakyDatabase extends TenantDatabase {

        boolean failNext;
        private final List<UUID> written;

        FlakyDatabase(List<UUID> written) {
            this.written = written;
        }

        @Override
        public <T> T asPlatform(Work<T> work) {
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("database unavailable");
            }
            try {
                return work.run(recordingConnection());
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private Connection recordingConnection() {
            PreparedStatement insert = (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                        if (method.getName().equals("setObject") && (int) args[0] == 2) {
                            written.add((UUID) args[1]);
                        }
                        return method.getName().equals("executeUpdate") ? 1 : null;
                    });
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> method.getName().equals("prepareStatement") ? insert : null);
        }
    }
}
