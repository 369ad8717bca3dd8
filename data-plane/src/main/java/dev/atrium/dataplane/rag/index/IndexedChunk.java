package dev.atrium.dataplane.rag.index;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;

/** A chunk as the search index holds it: text for BM25, the embedding for kNN, and where it came from. */
public record IndexedChunk(UUID id, UUID documentId, String title, String text, int start, int end, float[] embedding) {

    /** The embedding as stored in PostgreSQL: float32, little-endian. */
    public static byte[] toBytes(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    public static float[] fromBytes(byte[] bytes) {
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }
}
