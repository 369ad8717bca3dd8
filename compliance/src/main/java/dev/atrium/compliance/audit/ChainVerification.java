package dev.atrium.compliance.audit;

/**
 * The outcome of verifying a chain: how many events were checked and the head hash reached, or, when the chain
 * is broken, the first event that does not verify and why.
 */
public record ChainVerification(boolean valid, long verified, String headHash, String firstBrokenEventId, String reason) {

    static ChainVerification ok(long verified, String headHash) {
        return new ChainVerification(true, verified, headHash, null, null);
    }

    static ChainVerification broken(long verified, String headHash, String eventId, String reason) {
        return new ChainVerification(false, verified, headHash, eventId, reason);
    }
}
