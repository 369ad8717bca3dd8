package dev.atrium.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Names a failed call to the API server with a short reason for the Degraded condition. */
final class Failures {

    private Failures() {
    }

    static String reason(KubernetesClientException e, HasMetadata object) {
        int code = e.getCode();
        if (code <= 0) {
            // no HTTP answer at all: refused, reset, timed out or closed before a status line
            return "ApiServerUnreachable";
        }
        if (code >= 500) {
            return "ApiServerError";
        }
        return switch (code) {
            case 401 -> "Unauthorized";
            case 403 -> isTerminating(e) ? "NamespaceTerminating" : "Forbidden";
            case 404 -> object != null && "Cluster".equals(object.getKind()) ? "CloudNativePgNotInstalled" : "NotFound";
            case 409 -> "Conflict";
            case 422 -> "Invalid";
            case 429 -> "ApiServerThrottling";
            default -> "ApiServerRefused";
        };
    }

    /** One line: the HTTP status and the API server's message, or the network error. */
    static String describe(KubernetesClientException e) {
        if (e.getCode() > 0) {
            String message = e.getStatus() != null && e.getStatus().getMessage() != null
                    ? e.getStatus().getMessage() : e.getMessage();
            return "HTTP " + e.getCode() + ": " + message;
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage())
                : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static boolean isTerminating(KubernetesClientException e) {
        return e.getMessage() != null && e.getMessage().contains("being terminated");
    }
}
