package dev.atrium.dataplane.upstream;

import java.io.InputStream;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where model calls leave the data plane: the port to OpenAI-compatible model backends. The adapter is
 * {@link OpenAiCompatibleUpstream}; tests point it at a simulated backend over real HTTP.
 */
public interface UpstreamModels {

    /** A backend's answer (a 2xx, or a 4xx other than 429); the caller reads and closes {@code body}. */
    record Reply(Route route, int status, InputStream body) {
    }

    /**
     * Posts {@code body} to {@code path} (e.g. {@code /chat/completions}) of the route's backend, with the route's
     * upstream model name in {@code model}. Retries 429, 5xx and connection failures with exponential backoff,
     * honouring {@code Retry-After}; a 4xx other than 429 is the caller's error and comes back as a reply.
     *
     * @throws UpstreamUnavailableException when the last attempt failed too
     */
    Reply post(Route route, String path, ObjectNode body) throws UpstreamUnavailableException;
}
