package dev.atrium.dataplane.rag.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.dataplane.storage.TenantDatabase;

/**
 * The open Lucene indexes, one directory per tenant and knowledge base under
 * {@code <data-dir>/data-plane/<region>/index/<tenant>/<kb>}. An index is opened on first use and checked against
 * PostgreSQL: when it is missing or holds a different number of chunks, it is rebuilt from the database.
 */
@ApplicationScoped
public class IndexRegistry {

    private static final Logger LOG = Logger.getLogger(IndexRegistry.class);
    private static final int REBUILD_BATCH = 1000;

    /** Keyed by tenant and knowledge base, so a guessed knowledge-base id of another tenant never finds its index. */
    private final Map<String, KnowledgeBaseIndex> open = new ConcurrentHashMap<>();

    @Inject
    DataPlaneConfig config;

    @Inject
    TenantDatabase database;

    public Path root() {
        return Path.of(config.dataDir(), "data-plane", config.region(), "index");
    }

    public KnowledgeBaseIndex index(UUID tenantId, UUID kbId) {
        KnowledgeBaseIndex index = open.get(key(tenantId, kbId));
        if (index != null) {
            return index;
        }
        synchronized (this) {
            index = open.get(key(tenantId, kbId));
            return index != null ? index : openChecked(tenantId, kbId);
        }
    }

    /** Throws the index away and builds it again from the chunks in PostgreSQL; returns the chunk count. */
    public synchronized int rebuild(UUID tenantId, UUID kbId) {
        return fill(tenantId, kbId, index(tenantId, kbId));
    }

    private int fill(UUID tenantId, UUID kbId, KnowledgeBaseIndex index) {
        index.clear();
        int[] total = {0};
        database.inTenant(tenantId, connection -> {
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT c.id, c.document_id, d.title, c.text, c.start_offset, c.end_offset, c.embedding
                    FROM chunk c JOIN document d ON d.id = c.document_id
                    WHERE c.kb_id = ? ORDER BY c.document_id, c.seq""")) {
                query.setObject(1, kbId);
                query.setFetchSize(REBUILD_BATCH);
                List<IndexedChunk> batch = new ArrayList<>(REBUILD_BATCH);
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        batch.add(new IndexedChunk(row.getObject("id", UUID.class), row.getObject("document_id", UUID.class),
                                row.getString("title"), row.getString("text"), row.getInt("start_offset"), row.getInt("end_offset"),
                                IndexedChunk.fromBytes(row.getBytes("embedding"))));
                        if (batch.size() == REBUILD_BATCH) {
                            index.addNew(batch);
                            total[0] += batch.size();
                            batch.clear();
                        }
                    }
                }
                index.addNew(batch);
                total[0] += batch.size();
            }
            return null;
        });
        LOG.infof("rebuilt the index of knowledge base %s (tenant %s) from PostgreSQL: %d chunks", kbId, tenantId, total[0]);
        return total[0];
    }

    /** Closes and deletes the index of a deleted knowledge base. */
    /** Closes and deletes every index directory of a tenant; returns how many knowledge bases' indexes it removed. */
    public synchronized int dropTenant(UUID tenantId) {
        open.keySet().removeIf(key -> {
            if (key.startsWith(tenantId + "/")) {
                KnowledgeBaseIndex index = open.get(key);
                if (index != null) {
                    index.close();
                }
                return true;
            }
            return false;
        });
        Path directory = root().resolve(tenantId.toString());
        int removed = 0;
        if (Files.isDirectory(directory)) {
            try (var kbs = Files.list(directory)) {
                removed = (int) kbs.filter(Files::isDirectory).count();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            deleteRecursively(directory);
        }
        return removed;
    }

    public synchronized void drop(UUID tenantId, UUID kbId) {
        KnowledgeBaseIndex index = open.remove(key(tenantId, kbId));
        if (index != null) {
            index.close();
        }
        deleteRecursively(directory(tenantId, kbId));
    }

    private KnowledgeBaseIndex openChecked(UUID tenantId, UUID kbId) {
        Path directory = directory(tenantId, kbId);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KnowledgeBaseIndex index = KnowledgeBaseIndex.open(directory);
        long inDatabase = database.inTenant(tenantId, connection -> {
            try (PreparedStatement count = connection.prepareStatement("SELECT count(*) AS chunks FROM chunk WHERE kb_id = ?")) {
                count.setObject(1, kbId);
                try (ResultSet row = count.executeQuery()) {
                    row.next();
                    return row.getLong("chunks");
                }
            }
        });
        if (index.size() != inDatabase) {
            LOG.infof("index of knowledge base %s holds %d chunks, PostgreSQL %d: rebuilding", kbId, index.size(), inDatabase);
            fill(tenantId, kbId, index);
        }
        open.put(key(tenantId, kbId), index);
        return index;
    }

    private static String key(UUID tenantId, UUID kbId) {
        return tenantId + "/" + kbId;
    }

    private Path directory(UUID tenantId, UUID kbId) {
        return root().resolve(tenantId.toString()).resolve(kbId.toString());
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @PreDestroy
    void closeAll() {
        open.values().forEach(KnowledgeBaseIndex::close);
        open.clear();
    }
}
