package dev.atrium.compliance.export;

import java.io.BufferedReader;
import java.io.IOException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.atrium.compliance.audit.AuditChain;
import dev.atrium.compliance.digest.ChainDigest;
import dev.atrium.compliance.digest.DigestSigning;
import dev.atrium.compliance.digest.SignedDigest;

/**
 * Verifies an audit export without any server: the hash chain of the exported events, every included digest
 * (signature, linkage, and the events it pins), and the signed manifest (counts and first/last hash, so removed
 * or appended rows are caught). Streams the file: memory does not grow with the number of events.
 */
public final class ExportVerifier {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** The verdict, naming the first bad record when there is one. */
    public record Result(boolean valid, long events, int digests, String chainId, String headHash, String firstBadEventId,
                         String reason, boolean usedEmbeddedKeys, ExportFilter filter) {
        static Result failed(long events, String chainId, String eventId, String reason, boolean embedded) {
            return new Result(false, events, 0, chainId, null, eventId, reason, embedded, null);
        }

        /** A filtered export: events are authentic and exactly the signed selection, chain continuity is not proven. */
        public boolean partial() {
            return filter != null && !filter.isEmpty();
        }
    }

    private ExportVerifier() {
    }

    /**
     * @param trustedKey the auditor's own copy of the platform's public key; when null, the keys embedded in the
     *                   export are used (which proves integrity, not origin)
     */
    public static Result verify(BufferedReader lines, PublicKey trustedKey) throws IOException {
        boolean embedded = trustedKey == null;
        Map<String, PublicKey> keys = new HashMap<>();
        List<SignedDigest> digests = new ArrayList<>();
        Map<Long, String> pinned = new HashMap<>();
        String chainId = null;
        String previousHash = null;
        long expectedSequence = -1;
        long events = 0;
        String firstHash = null;
        String lastEventId = null;
        ObjectNode manifest = null;
        ExportFilter filter = ExportFilter.NONE;
        String selectionHash = "";
        long lastSequence = -1;
        String line;
        int lineNumber = 0;
        while ((line = lines.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            if (manifest != null) {
                return Result.failed(events, chainId, lastEventId, "line " + lineNumber + ": data after the manifest", embedded);
            }
            JsonNode record;
            try {
                record = JSON.readTree(line);
            } catch (IOException e) {
                return Result.failed(events, chainId, lastEventId, "line " + lineNumber + " is not JSON", embedded);
            }
            switch (record.path("record").asText()) {
                case ExportRecords.HEADER -> {
                    chainId = record.path("chainId").asText();
                    filter = ExportFilter.fromJson(record.get("filters"));
                }
                case ExportRecords.PUBLIC_KEY -> keys.put(record.path("keyId").asText(),
                        DigestSigning.decodePublicKey(record.path("publicKey").asText()));
                case ExportRecords.DIGEST -> {
                    SignedDigest digest = digestOf(record);
                    digests.add(digest);
                    pinned.put(digest.digest().firstSequence(), digest.digest().firstEventHash());
                    pinned.put(digest.digest().lastSequence(), digest.digest().lastEventHash());
                }
                case ExportRecords.EVENT -> {
                    ObjectNode content = (ObjectNode) record.deepCopy();
                    content.remove("record");
                    String prevHash = content.remove("prevHash").asText();
                    String hash = content.remove("hash").asText();
                    String id = content.path("id").asText();
                    long sequence = content.path("sequence").asLong();
                    if (!content.path("chainId").asText().equals(chainId)) {
                        return Result.failed(events, chainId, id, "event belongs to chain " + content.path("chainId").asText()
                                + ", not " + chainId + " (events of another tenant)", embedded);
                    }
                    if (filter.isEmpty()) {
                        if (expectedSequence >= 0 && sequence != expectedSequence) {
                            return Result.failed(events, chainId, id, "expected sequence " + expectedSequence + " but found "
                                    + sequence + (sequence > expectedSequence ? " (rows removed)" : " (rows reordered or duplicated)"), embedded);
                        }
                        if (previousHash != null && !previousHash.equals(prevHash)) {
                            return Result.failed(events, chainId, id, "prevHash does not link to the previous event (rows removed or reordered)", embedded);
                        }
                    } else if (sequence <= lastSequence) {
                        return Result.failed(events, chainId, id, "sequence " + sequence + " after " + lastSequence
                                + " (rows reordered or duplicated)", embedded);
                    }
                    if (!AuditChain.hash(content, prevHash).equals(hash)) {
                        return Result.failed(events, chainId, id, "hash does not match the event's content (event changed)", embedded);
                    }
                    if (!filter.isEmpty() && !filter.matches(content)) {
                        return Result.failed(events, chainId, id, "event does not match the export's filters (row added)", embedded);
                    }
                    selectionHash = ExportFilter.nextSelectionHash(selectionHash, hash);
                    lastSequence = sequence;
                    String pinnedHash = pinned.get(sequence);
                    if (pinnedHash != null && !pinnedHash.equals(hash)) {
                        return Result.failed(events, chainId, id, "a signed digest pins a different hash for sequence " + sequence, embedded);
                    }
                    if (firstHash == null) {
                        firstHash = hash;
                    }
                    previousHash = hash;
                    expectedSequence = sequence + 1;
                    lastEventId = id;
                    events++;
                }
                case ExportRecords.MANIFEST -> manifest = (ObjectNode) record;
                default -> {
                    return Result.failed(events, chainId, lastEventId, "line " + lineNumber + ": unknown record type", embedded);
                }
            }
        }
        if (manifest == null) {
            return Result.failed(events, chainId, lastEventId, "no manifest: the export is truncated", embedded);
        }
        PublicKey manifestKey = trustedKey != null ? trustedKey : keys.get(manifest.path("keyId").asText());
        if (manifestKey == null || !signatureValid(ExportRecords.manifestSigningBytes(manifest),
                manifest.path("signature").asText(), manifestKey)) {
            return Result.failed(events, chainId, lastEventId, "manifest signature does not verify"
                    + (trustedKey != null ? " with the given public key" : ""), embedded);
        }
        if (manifest.path("eventCount").asLong() != events) {
            return Result.failed(events, chainId, lastEventId, "manifest lists " + manifest.path("eventCount").asLong()
                    + " events but the export holds " + events + " (rows removed or added)", embedded);
        }
        if (events > 0 && (!manifest.path("firstHash").asText().equals(firstHash)
                || !manifest.path("lastHash").asText().equals(previousHash))) {
            return Result.failed(events, chainId, lastEventId, "first or last event differs from the manifest", embedded);
        }
        if (!chainId.equals(manifest.path("chainId").asText())) {
            return Result.failed(events, chainId, lastEventId, "manifest is for chain " + manifest.path("chainId").asText(), embedded);
        }
        if (!filter.equals(ExportFilter.fromJson(manifest.get("filters")))) {
            return Result.failed(events, chainId, lastEventId, "the header's filters differ from the signed manifest's", embedded);
        }
        if (!filter.isEmpty() && !selectionHash.equals(manifest.path("selectionHash").asText())) {
            return Result.failed(events, chainId, lastEventId, "the events are not the selection the server signed "
                    + "(rows removed, added or swapped)", embedded);
        }
        String previousDigest = null;
        for (SignedDigest digest : digests) {
            PublicKey key = trustedKey != null && keys.isEmpty() ? trustedKey : keys.get(digest.digest().keyId());
            if (key == null || !DigestSigning.verify(digest, key)) {
                return Result.failed(events, chainId, null, "digest " + digest.digest().digestSequence() + " signature does not verify", embedded);
            }
            if (!chainId.equals(digest.digest().chainId())) {
                return Result.failed(events, chainId, null, "digest " + digest.digest().digestSequence() + " is for another chain", embedded);
            }
            if (previousDigest != null && !previousDigest.equals(digest.digest().previousDigestHash())) {
                return Result.failed(events, chainId, null, "digest " + digest.digest().digestSequence() + " does not link to the previous digest", embedded);
            }
            previousDigest = digest.digest().hash();
        }
        return new Result(true, events, digests.size(), chainId, previousHash, null, null, embedded, filter);
    }

    private static SignedDigest digestOf(JsonNode r) {
        return new SignedDigest(new ChainDigest(r.path("chainId").asText(), r.path("digestSequence").asLong(),
                r.path("periodStart").asText(), r.path("periodEnd").asText(), r.path("eventCount").asLong(),
                r.path("firstSequence").asLong(), r.path("lastSequence").asLong(), r.path("firstEventHash").asText(),
                r.path("lastEventHash").asText(), r.path("previousDigestHash").asText(), r.path("keyId").asText()),
                r.path("signature").asText());
    }

    static boolean signatureValid(byte[] content, String signature, PublicKey key) {
        try {
            Signature verifier = Signature.getInstance(DigestSigning.ALGORITHM);
            verifier.initVerify(key);
            verifier.update(content);
            return verifier.verify(Base64.getDecoder().decode(signature));
        } catch (Exception e) {
            return false;
        }
    }
}
