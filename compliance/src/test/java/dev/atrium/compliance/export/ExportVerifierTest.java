package dev.atrium.compliance.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.atrium.compliance.audit.AuditChain;
import dev.atrium.compliance.digest.ChainDigest;
import dev.atrium.compliance.digest.DigestSigning;
import dev.atrium.compliance.digest.SignedDigest;

/** The offline verifier against exports built here, untouched and tampered with in every way the issue names. */
class ExportVerifierTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final KeyPair key = DigestSigning.generateKeyPair();

    @TempDir
    Path dir;

    @Test
    void anUntouchedExportVerifies() throws Exception {
        Result run = run(write(export("tenant-a", 12)));
        assertThat(run.code).isZero();
        assertThat(run.out).startsWith("VERIFIED: 12 events and 2 signed digests of chain tenant-a");
    }

    @Test
    void changingOneByteIsCaughtAtThatEvent() throws Exception {
        List<String> lines = export("tenant-a", 12);
        int victim = eventLine(lines, 5);
        lines.set(victim, lines.get(victim).replace("\"action\":\"tenant.update\"", "\"action\":\"tenant.updatf\""));
        Result run = run(write(lines));
        assertThat(run.code).isEqualTo(1);
        assertThat(run.out).contains("event changed").contains(idOf(lines.get(victim)));
    }

    @Test
    void deletingARowIsCaught() throws Exception {
        List<String> lines = export("tenant-a", 12);
        lines.remove(eventLine(lines, 7));
        Result run = run(write(lines));
        assertThat(run.code).isEqualTo(1);
        assertThat(run.out).contains("rows removed");
    }

    @Test
    void reorderingRowsIsCaught() throws Exception {
        List<String> lines = export("tenant-a", 12);
        Collections.swap(lines, eventLine(lines, 3), eventLine(lines, 4));
        Result run = run(write(lines));
        assertThat(run.code).isEqualTo(1);
        assertThat(run.out).contains("FAILED").containsAnyOf("reordered", "rows removed");
    }

    @Test
    void swappingInAnotherTenantsEventsIsCaught() throws Exception {
        List<String> lines = export("tenant-a", 12);
        List<String> other = export("tenant-b", 12);
        lines.set(eventLine(lines, 6), other.get(eventLine(other, 6)));
        Result run = run(write(lines));
        assertThat(run.code).isEqualTo(1);
        assertThat(run.out).contains("another tenant");
    }

    @Test
    void aTruncatedExportOrAForeignKeyFails() throws Exception {
        List<String> lines = export("tenant-a", 12);
        Result truncated = run(write(lines.subList(0, lines.size() - 1)));
        assertThat(truncated.out).contains("no manifest");

        Path foreignKey = dir.resolve("other.pub");
        Files.writeString(foreignKey, DigestSigning.encodePublicKey(DigestSigning.generateKeyPair().getPublic()));
        Result foreign = run(write(lines), "--public-key", foreignKey.toString());
        assertThat(foreign.code).isEqualTo(1);
        assertThat(foreign.out).contains("manifest signature does not verify with the given public key");

        Path ownKey = dir.resolve("own.pub");
        Files.writeString(ownKey, DigestSigning.encodePublicKey(key.getPublic()));
        Result trusted = run(write(lines), "--public-key", ownKey.toString());
        assertThat(trusted.code).isZero();
        assertThat(trusted.out).doesNotContain("embedded");
    }

    @Test
    void anAlteredManifestCountIsCaught() throws Exception {
        List<String> lines = export("tenant-a", 12);
        String manifest = lines.getLast();
        lines.set(lines.size() - 1, manifest.replace("\"eventCount\":12", "\"eventCount\":11"));
        assertThat(run(write(lines)).out).contains("manifest signature does not verify");
    }

    @Test
    void aFilteredExportVerifiesAsPartial() throws Exception {
        Result run = run(write(export("tenant-a", 12, APIKEY_EVENTS)));
        assertThat(run.code).as(run.out).isZero();
        assertThat(run.out).startsWith("VERIFIED: 6 events").contains("PARTIAL export").contains("apikey.*")
                .contains("continuity is not proven");
    }

    @Test
    void aFilteredExportStillCatchesEveryTampering() throws Exception {
        List<String> lines = export("tenant-a", 12, APIKEY_EVENTS);
        List<String> changed = new ArrayList<>(lines);
        int victim = eventLine(changed, 5);
        changed.set(victim, changed.get(victim).replace("\"outcome\":\"SUCCESS\"", "\"outcome\":\"SUCCESX\""));
        assertThat(run(write(changed)).out).contains("event changed").contains(idOf(lines.get(victim)));

        List<String> deleted = new ArrayList<>(lines);
        deleted.remove(eventLine(deleted, 7));
        assertThat(run(write(deleted)).out).contains("FAILED").contains("rows removed or added");

        List<String> reordered = new ArrayList<>(lines);
        Collections.swap(reordered, eventLine(reordered, 3), eventLine(reordered, 5));
        assertThat(run(write(reordered)).out).contains("reordered");

        List<String> foreign = new ArrayList<>(lines);
        List<String> other = export("tenant-b", 12, APIKEY_EVENTS);
        foreign.set(eventLine(foreign, 7), other.get(eventLine(other, 7)));
        assertThat(run(write(foreign)).out).contains("another tenant");

        List<String> unfiltered = export("tenant-a", 12);
        List<String> injected = new ArrayList<>(lines);
        injected.add(eventLine(injected, 5) + 1, unfiltered.get(eventLine(unfiltered, 6)));
        assertThat(run(write(injected)).out).contains("FAILED").contains("does not match the export's filters");

        List<String> widened = new ArrayList<>(lines);
        widened.set(0, widened.get(0).replace("apikey.*", "*"));
        assertThat(run(write(widened)).out).contains("FAILED").contains("filters differ from the signed manifest");
    }

    private static final ExportFilter APIKEY_EVENTS = new ExportFilter(null, "apikey.*", null, null);

    private record Result(int code, String out) {
    }

    private Result run(Path file, String... more) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] args = new String[1 + more.length];
        args[0] = file.toString();
        System.arraycopy(more, 0, args, 1, more.length);
        int code = VerifyExportCommand.run(args, new PrintStream(out), new PrintStream(new ByteArrayOutputStream()));
        return new Result(code, out.toString());
    }

    private Path write(List<String> lines) throws Exception {
        Path file = dir.resolve(UUID.randomUUID() + ".jsonl");
        Files.write(file, lines);
        return file;
    }

    private static int eventLine(List<String> lines, long sequence) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"record\":\"event\"") && lines.get(i).contains("\"sequence\":" + sequence + ",")) {
                return i;
            }
        }
        throw new IllegalArgumentException("no event " + sequence);
    }

    private static String idOf(String line) throws Exception {
        return JSON.readTree(line).path("id").asText();
    }

    private List<String> export(String chainId, int count) throws Exception {
        return export(chainId, count, ExportFilter.NONE);
    }

    /**
     * An export as the control plane writes it: header, key, digests, events, signed manifest. With a filter, odd
     * sequences are {@code apikey.create} events and only the matching events are written, with the filters in the
     * header and the manifest and the manifest's selection hash.
     */
    private List<String> export(String chainId, int count, ExportFilter filter) throws Exception {
        List<String> lines = new ArrayList<>();
        String keyId = "k1";
        ObjectNode header = JSON.createObjectNode().put("record", "export").put("chainId", chainId).put("formatVersion", 1);
        if (!filter.isEmpty()) {
            header.set("filters", filter.toJson());
        }
        lines.add(header.toString());
        lines.add(JSON.createObjectNode().put("record", "public-key").put("keyId", keyId).put("algorithm", "Ed25519")
                .put("publicKey", DigestSigning.encodePublicKey(key.getPublic())).toString());
        List<String> events = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        List<String> selected = new ArrayList<>();
        String prev = AuditChain.GENESIS_HASH;
        for (int s = 1; s <= count; s++) {
            ObjectNode content = JSON.createObjectNode().put("id", UUID.randomUUID().toString()).put("chainId", chainId)
                    .put("sequence", s).put("occurredAt", "2026-11-26T10:00:0" + (s % 10) + "Z")
                    .put("action", !filter.isEmpty() && s % 2 == 1 ? "apikey.create" : "tenant.update")
                    .put("outcome", "SUCCESS");
            String hash = AuditChain.hash(content, prev);
            ObjectNode line = JSON.createObjectNode().put("record", "event");
            line.setAll(content);
            line.put("prevHash", prev).put("hash", hash);
            if (filter.isEmpty() || filter.matches(content)) {
                events.add(line.toString());
                selected.add(hash);
            }
            hashes.add(hash);
            prev = hash;
        }
        SignedDigest d1 = DigestSigning.sign(new ChainDigest(chainId, 1, "a", "b", 6, 1, 6, hashes.get(0), hashes.get(5),
                ChainDigest.NO_PREVIOUS_DIGEST, keyId), key.getPrivate());
        SignedDigest d2 = DigestSigning.sign(new ChainDigest(chainId, 2, "b", "c", 6, 7, 12, hashes.get(6), hashes.get(11),
                d1.digest().hash(), keyId), key.getPrivate());
        for (SignedDigest d : List.of(d1, d2)) {
            ObjectNode line = JSON.createObjectNode().put("record", "digest");
            line.setAll(d.digest().content());
            line.put("signature", d.signature());
            lines.add(line.toString());
        }
        lines.addAll(events);
        ObjectNode manifest = JSON.createObjectNode().put("record", "manifest").put("chainId", chainId)
                .put("eventCount", selected.size()).put("firstHash", selected.getFirst()).put("lastHash", selected.getLast()).put("keyId", keyId);
        if (!filter.isEmpty()) {
            String selection = "";
            for (String hash : selected) {
                selection = ExportFilter.nextSelectionHash(selection, hash);
            }
            manifest.set("filters", filter.toJson());
            manifest.put("selectionHash", selection).put("eventsInRange", count);
        }
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(key.getPrivate());
        signer.update(ExportRecords.manifestSigningBytes(manifest));
        manifest.put("signature", Base64.getEncoder().encodeToString(signer.sign()));
        lines.add(manifest.toString());
        return lines;
    }
}
