package dev.atrium.compliance.export;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;

import dev.atrium.compliance.digest.DigestSigning;

/**
 * {@code java -jar atrium-audit-verify.jar <export.jsonl> [--public-key <file>]}: verifies an audit export
 * offline and names the first bad event. Exit code 0 when it verifies, 1 when it does not, 2 on bad usage.
 * The public-key file holds the platform's Ed25519 public key (base64 X.509, as {@code /api/v1/audit/public-keys}
 * shows it), obtained independently of the export.
 */
public final class VerifyExportCommand {

    private VerifyExportCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1 && !(args.length == 3 && args[1].equals("--public-key"))) {
            err.println("usage: java -jar atrium-audit-verify.jar <export.jsonl> [--public-key <file>]");
            return 2;
        }
        try {
            PublicKey trusted = args.length == 3
                    ? DigestSigning.decodePublicKey(Files.readString(Path.of(args[2])).trim()) : null;
            ExportVerifier.Result result;
            try (BufferedReader reader = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
                result = ExportVerifier.verify(reader, trusted);
            }
            if (result.valid()) {
                out.printf("VERIFIED: %d events and %d signed digests of chain %s; head %s%n", result.events(),
                        result.digests(), result.chainId(), result.headHash());
                if (result.partial()) {
                    out.println("PARTIAL export (filters " + result.filter().toJson() + "): every event is authentic, in chain order, "
                            + "matches the filters, and the set is exactly what the server signed; the chain between these events "
                            + "is not in the file, so its continuity is not proven here (export without filters for that)");
                }
                if (result.usedEmbeddedKeys()) {
                    out.println("note: checked with the public keys inside the export; pass --public-key to also prove its origin");
                }
                return 0;
            }
            out.printf("FAILED: %s%s%n", result.reason(),
                    result.firstBadEventId() == null ? "" : " [first bad event: " + result.firstBadEventId() + "]");
            return 1;
        } catch (IOException | IllegalArgumentException e) {
            err.println("cannot verify: " + e.getMessage());
            return 2;
        }
    }
}
