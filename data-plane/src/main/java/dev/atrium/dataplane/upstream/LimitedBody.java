package dev.atrium.dataplane.upstream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An upstream answer read up to a limit: a backend sending more than that is failing, and reading on would only
 * fill this data plane's memory. Past the limit every read throws {@link TooLarge}.
 */
public final class LimitedBody extends FilterInputStream {

    /** Thrown once the body goes past its limit. */
    public static final class TooLarge extends IOException {
        public TooLarge(long limit) {
            super("the model backend answered more than " + limit + " bytes");
        }
    }

    private final long limit;
    private long remaining;

    private LimitedBody(InputStream body, long limit) {
        super(body);
        this.limit = limit;
        this.remaining = limit;
    }

    public static InputStream of(InputStream body, long limit) {
        return new LimitedBody(body, limit);
    }

    @Override
    public int read() throws IOException {
        int next = super.read();
        if (next >= 0) {
            spend(1);
        }
        return next;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int read = super.read(buffer, offset, (int) Math.min(length, remaining + 1));
        if (read > 0) {
            spend(read);
        }
        return read;
    }

    private void spend(long bytes) throws TooLarge {
        remaining -= bytes;
        if (remaining < 0) {
            throw new TooLarge(limit);
        }
    }
}
