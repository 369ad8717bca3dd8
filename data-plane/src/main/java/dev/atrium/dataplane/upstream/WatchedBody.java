package dev.atrium.dataplane.upstream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A backend's answer read under a watch: the HTTP timeout covers only the response's headers, so a backend that then
 * sends its body a byte at a time, or stops, would hold a data-plane worker for ever. Here the body is closed (and
 * every read after that throws {@link TimedOut}) when nothing has arrived for {@code idle}, or, for an answer that is
 * not streamed, when it is not complete within {@code total} of its headers.
 */
public final class WatchedBody extends FilterInputStream {

    /** Thrown once the watch closed the body. */
    public static final class TimedOut extends IOException {
        TimedOut(String message) {
            super(message);
        }
    }

    private static final ScheduledExecutorService WATCH = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "atrium-upstream-watch");
        thread.setDaemon(true);
        return thread;
    });

    private final long idleNanos;
    private final long deadlineNanos;
    private final String what;
    private volatile long lastActivity = System.nanoTime();
    private volatile String expired;
    private volatile boolean closed;
    private ScheduledFuture<?> check;

    private WatchedBody(InputStream body, Duration idle, Duration total) {
        super(body);
        this.idleNanos = idle.toNanos();
        this.deadlineNanos = total == null ? Long.MAX_VALUE : System.nanoTime() + total.toNanos();
        this.what = total == null ? "sent nothing for " + idle.toMillis() + " ms" : "did not finish its answer within "
                + total.toMillis() + " ms";
        schedule(Math.min(idleNanos, total == null ? Long.MAX_VALUE : total.toNanos()));
    }

    /** @param total the whole body's budget, or null for a stream (which may last, as long as it keeps sending) */
    public static InputStream of(InputStream body, Duration idle, Duration total) {
        return new WatchedBody(body, idle, total);
    }

    private synchronized void schedule(long delayNanos) {
        if (!closed) {
            check = WATCH.schedule(this::check, Math.max(1, delayNanos), TimeUnit.NANOSECONDS);
        }
    }

    private void check() {
        long now = System.nanoTime();
        long idleFor = now - lastActivity;
        if (idleFor >= idleNanos || now - deadlineNanos >= 0) {
            expired = "the model backend " + what;
            try {
                // unblocks a read waiting for bytes that do not come: the JDK client's body stream then ends (or fails)
                super.close();
            } catch (IOException ignored) {
                // closing is all that is wanted
            }
            return;
        }
        schedule(Math.min(idleNanos - idleFor, deadlineNanos - now));
    }

    @Override
    public int read() throws IOException {
        if (expired != null) {
            throw new TimedOut(expired);
        }
        try {
            int next = super.read();
            lastActivity = System.nanoTime();
            if (expired != null && next < 0) {
                throw new TimedOut(expired);
            }
            return next;
        } catch (TimedOut e) {
            throw e;
        } catch (IOException e) {
            throw expired == null ? e : new TimedOut(expired);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (expired != null) {
            throw new TimedOut(expired);
        }
        try {
            int read = super.read(buffer, offset, length);
            lastActivity = System.nanoTime();
            if (expired != null && read <= 0) {
                throw new TimedOut(expired);
            }
            return read;
        } catch (TimedOut e) {
            throw e;
        } catch (IOException e) {
            throw expired == null ? e : new TimedOut(expired);
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            closed = true;
            if (check != null) {
                check.cancel(false);
            }
        }
        super.close();
    }
}
