package dev.atrium.tenancy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a tenant may point Atrium's outbound calls (a model backend it brings): not at Atrium's own network. A URL
 * whose host is, or resolves to, a loopback, private (RFC 1918, IPv6 unique-local), link-local (cloud metadata at
 * 169.254.169.254 among them), carrier-grade NAT, unspecified or multicast address is refused unless the operator
 * allows private upstreams (a local Ollama or vLLM, {@code make run}, tests). Checked when a deployment is saved and
 * again before each call, since a name can resolve elsewhere later.
 */
public final class EgressAddresses {

    private EgressAddresses() {
    }

    /** Why the URL may not be called, or empty when it may. {@code resolve} looks host names up (else only literals). */
    public static Optional<String> refusal(String url, boolean allowPrivate, boolean resolve) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Optional.of("is not a URL");
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
            return Optional.of("must be an absolute http or https URL");
        }
        if (uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
            return Optional.of("must carry no credentials, query or fragment (the API key is a secret of its own)");
        }
        if (allowPrivate) {
            return Optional.empty();
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.equals("localhost") || host.endsWith(".localhost") || host.endsWith(".internal")
                || host.endsWith(".local")) {
            return Optional.of("names a host of the platform's own network (" + host + ")");
        }
        InetAddress[] addresses;
        try {
            boolean literal = host.startsWith("[") || host.matches("[0-9.]+") || host.contains(":");
            if (!literal && !resolve) {
                return Optional.empty();
            }
            addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            return resolve ? Optional.of("does not resolve (" + host + ")") : Optional.empty();
        }
        for (InetAddress address : addresses) {
            if (internal(address)) {
                return Optional.of("resolves to " + address.getHostAddress()
                        + ", an address of the platform's own network; private upstreams are not allowed here");
            }
        }
        return Optional.empty();
    }

    static boolean internal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            // 100.64.0.0/10 carrier-grade NAT (cluster networks use it), 0.0.0.0/8, 192.0.0.0/24
            return (first == 100 && second >= 64 && second < 128) || first == 0
                    || (first == 192 && second == 0 && (bytes[2] & 0xff) == 0);
        }
        if (address instanceof Inet6Address) {
            // fc00::/7 unique-local; ::ffff:a.b.c.d is handled by the JDK as an Inet4Address
            return (bytes[0] & 0xfe) == 0xfc;
        }
        return false;
    }
}
