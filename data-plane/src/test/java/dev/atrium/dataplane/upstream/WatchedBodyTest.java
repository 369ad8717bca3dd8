package dev.atrium.dataplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** A backend that stops sending, or trickles its answer, no longer holds the reading thread. */
class WatchedBodyTest {

    /**
     * Like the JDK HTTP client's body stream: a read waits for the next buffer; closing it hands the reader an end of
     * stream. This backend sends one event, then nothing, and never closes.
     */
    private static final class StalledBackend extends InputStream {
        private final java.util.concurrent.BlockingQueue<byte[]> buffers = new java.util.concurrent.LinkedBlockingQueue<>();
        private static final byte[] END = new byte[0];
        private byte[] current = new byte[0];
        private int position;

        StalledBackend(String first) {
            buffers.add(first.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            while (position >= current.length) {
                try {
                    current = buffers.take();
                    position = 0;
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                if (current == END) {
                    return -1;
                }
            }
            int count = Math.min(length, current.length - position);
            System.arraycopy(current, position, buffer, offset, count);
            position += count;
            return count;
        }

        @Override
        public void close() {
            buffers.add(END);
        }
    }

    @Test
    void aBodyThatStopsArrivingIsClosedAfterTheIdleTime() throws Exception {
        InputStream body = WatchedBody.of(new StalledBackend("data: {\"first\": true}\n\n"), Duration.ofMillis(300), null);

        CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
            try {
                body.readAllBytes();
                return null;
            } catch (IOException e) {
                return e;
            }
        });

        // generous bound: the point is that the read ends at all, not how fast
        assertThat(reader.get(20, TimeUnit.SECONDS)).isInstanceOf(WatchedBody.TimedOut.class)
                .hasMessageContaining("sent nothing for");
    }

    @Test
    void anAnswerTrickledSlowerThanItsBudgetIsCutOff() {
        InputStream trickle = new InputStream() {
            private volatile boolean closed;

            @Override
            public int read() throws IOException {
                sleep();
                if (closed) {
                    throw new IOException("closed");
                }
                return 'a';
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                buffer[offset] = (byte) read();
                return 1;
            }

            @Override
            public void close() {
                closed = true;
            }

            private void sleep() {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        // a byte every 50 ms is never idle for 10 s, but the whole answer must come within 500 ms
        InputStream body = WatchedBody.of(trickle, Duration.ofSeconds(10), Duration.ofMillis(500));

        assertThatThrownBy(body::readAllBytes).isInstanceOf(WatchedBody.TimedOut.class)
                .hasMessageContaining("did not finish its answer");
    }

    @Test
    void aPromptAnswerIsReadWhole() throws IOException {
        InputStream body = WatchedBody.of(new ByteArrayInputStream("{\"ok\": true}".getBytes(StandardCharsets.UTF_8)),
                Duration.ofSeconds(5), Duration.ofSeconds(5));

        assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\": true}");
        body.close();
    }
}
