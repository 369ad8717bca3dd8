package dev.atrium.controlplane.common;

import jakarta.ws.rs.core.EntityTag;

/** Entity tags from row versions, and the If-Match check (412 when the client's copy is stale). */
public final class ETags {

    private ETags() {
    }

    public static EntityTag of(long version) {
        return new EntityTag(Long.toString(version));
    }

    /**
     * Checks an If-Match header against the current version. Absent or {@code *} matches anything; otherwise one
     * of the listed tags (strong or weak) must name the current version.
     */
    public static void requireMatch(String ifMatch, long currentVersion) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return;
        }
        String current = Long.toString(currentVersion);
        for (String tag : ifMatch.split(",")) {
            String value = tag.trim();
            if (value.startsWith("W/")) {
                value = value.substring(2);
            }
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            if (value.equals(current)) {
                return;
            }
        }
        throw new ApiException(ProblemType.PRECONDITION_FAILED,
                "If-Match " + ifMatch + " does not match the current ETag \"" + current + "\"; fetch the resource again");
    }
}
