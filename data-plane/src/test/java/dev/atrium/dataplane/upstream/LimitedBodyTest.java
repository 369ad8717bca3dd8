package dev.atrium.dataplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.junit.jupiter.api.Test;

class LimitedBodyTest {

    @Test
    void aBodyUpToTheLimitReadsWhole() throws IOException {
        try (InputStream body = LimitedBody.of(new ByteArrayInputStream(new byte[10]), 10)) {
            assertThat(body.readAllBytes()).hasSize(10);
        }
    }

    @Test
    void oneByteMoreThanTheLimitFailsWhicheverWayItIsRead() {
        assertThatThrownBy(() -> LimitedBody.of(new ByteArrayInputStream(new byte[11]), 10).readAllBytes())
                .isInstanceOf(LimitedBody.TooLarge.class).hasMessageContaining("more than 10 bytes");
        InputStream byteByByte = LimitedBody.of(new ByteArrayInputStream(new byte[11]), 10);
        assertThatThrownBy(() -> {
            while (byteByByte.read() >= 0) {
                // reading one byte at a time
            }
        }).isInstanceOf(LimitedBody.TooLarge.class);
    }
}
