package dev.atrium.compliance.digest;

/** A digest with its Ed25519 signature (base64) over {@link ChainDigest#canonicalBytes()}. */
public record SignedDigest(ChainDigest digest, String signature) {
}
