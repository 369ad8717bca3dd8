package dev.atrium.compliance.export;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.atrium.compliance.audit.CanonicalJson;

/**
 * The JSON Lines audit export format, version 1. One JSON object per line, each with a {@code record} member:
 * {@code export} (header), {@code public-key} (every key that signed something in the file), {@code digest} (the
 * signed digests of the chain that the exported events fall into), {@code event} (the hashed content of each
 * event, its {@code prevHash} and {@code hash}, in chain order) and finally {@code manifest} (counts, first and
 * last hash, the digests included, signed by the platform's signing key over its canonical JSON without the
 * {@code signature} member).
 */
public final class ExportRecords {

    public static final String HEADER = "export";
    public static final String PUBLIC_KEY = "public-key";
    public static final String DIGEST = "digest";
    public static final String EVENT = "event";
    public static final String MANIFEST = "manifest";
    public static final int FORMAT_VERSION = 1;

    private ExportRecords() {
    }

    /** What the manifest signature covers: the manifest without its signature, in canonical JSON. */
    public static byte[] manifestSigningBytes(ObjectNode manifest) {
        ObjectNode unsigned = manifest.deepCopy();
        unsigned.remove("signature");
        return CanonicalJson.write(unsigned).getBytes(StandardCharsets.UTF_8);
    }
}
