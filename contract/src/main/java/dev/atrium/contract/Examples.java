package dev.atrium.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One example message per record of the internal API, as JSON text. Both planes' tests use them: the control plane
 * accepts each request example and answers in the shape of each response example; the data plane sends requests of
 * that shape and reads the response examples.
 */
public final class Examples {

    /** Every record that crosses the wire, in the order of {@link InternalApi}. */
    public static final List<Class<? extends Record>> MESSAGES = List.of(
            KeyIntrospectionRequest.class, TokenIntrospectionRequest.class, KeyIntrospection.class,
            ServableModel.class, ServedDeployment.class, RolloutReport.class, RolloutStates.class, ConfiguredModelReport.class, SecretValue.class, UsageBatch.class, AuditEventBatch.class, DeadLetterReport.class,
            BatchReceipt.class, ErasureVerificationRequest.class, ErasureVerification.class, ErasureReceipt.class);

    private Examples() {
    }

    /** The example of {@code message}, e.g. {@code examples/UsageBatch.json}. */
    public static String of(Class<? extends Record> message) {
        String resource = "examples/" + message.getSimpleName() + ".json";
        try (InputStream in = Examples.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no example " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
