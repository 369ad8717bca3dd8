package dev.atrium.controlplane.common;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.UUID;

/**
 * An opaque keyset-pagination cursor: the sort key (a timestamp) and id of the last item of a page. Keyset
 * pagination keeps pages stable while rows are inserted and costs the same on page 1 and page 10,000.
 */
public record Cursor(Instant time, UUID id) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((time.toString() + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a cursor from a query parameter; null stays null, garbage is a 400. */
    public static Cursor decode(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8).split("\\|", 2);
            return new Cursor(Instant.parse(parts[0]), UUID.fromString(parts[1]));
        } catch (IllegalArgumentException | DateTimeParseException | ArrayIndexOutOfBoundsException e) {
            throw ApiException.invalid("cursor", "is not a cursor returned by this API");
        }
    }

    /** Validates a requested page size. */
    public static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < 1 || requested > MAX_LIMIT) {
            throw ApiException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return requested;
    }
}
