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

    /** One answer for every refused host, so that the refusal tells nothing about the platform's network. */
    static final String REFUSED = "must be a public address the platform can reach (not one of its own network, and resolvable)";

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
        // a trailing dot names the same host ("localhost." is localhost)
        String host = uri.getHost().toLowerCase(Locale.ROOT).replaceAll("\\.+$", "");
        if (host.isEmpty() || host.equals("localhost") || host.endsWith(".localhost") || host.endsWith(".internal")
                || host.endsWith(".local")) {
            return Optional.of(REFUSED);
        }
        InetAddress[] addresses;
        try {
            boolean literal = host.startsWith("[") || host.matches("[0-9.]+") || host.contains(":");
            if (!literal && !resolve) {
                return Optional.empty();
            }
            addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            // the same answer as for an internal address: which internal names exist is not for tenants to learn
            return resolve ? Optional.of(REFUSED) : Optional.empty();
        }
        for (InetAddress address : addresses) {
            if (internal(address)) {
                return Optional.of(REFUSED);
            }
        }
        return Optional.empty();
    }

    private static boolean internalIpv4(byte[] bytes) {
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        int third = bytes[2] & 0xff;
        return first == 0 || first == 10 || first == 127                        // this network, private, loopback
                || (first == 100 && second >= 64 && second < 128)              // carrier-grade NAT (cluster networks)
                || (first == 169 && second == 254)                             // link-local, cloud metadata
                || (first == 172 && second >= 16 && second < 32)               // private
                || (first == 192 && second == 168)                             // private
                || (first == 192 && second == 0 && third == 0)                 // IETF protocol assignments
                || (first == 198 && (second == 18 || second == 19))            // benchmarking
                || (first == 168 && second == 63 && third == 129 && (bytes[3] & 0xff) == 16) // Azure's wire server
                || first >= 224;                                               // multicast, reserved, broadcast
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    static boolean internal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return internalIpv4(bytes);
        }
        if (address instanceof Inet6Address) {
            // fc00::/7 unique-local; ::ffff:a.b.c.d is handled by the JDK as an Inet4Address
            if ((bytes[0] & 0xfe) == 0xfc) {
                return true;
            }
            // addresses that carry an IPv4 one: 64:ff9b::/96 (NAT64), 2002::/16 (6to4), ::/96 (IPv4-compatible)
            boolean nat64 = (bytes[0] & 0xff) == 0x00 && (bytes[1] & 0xff) == 0x64 && (bytes[2] & 0xff) == 0xff
                    && (bytes[3] & 0xff) == 0x9b && allZero(bytes, 4, 12);
            boolean compatible = allZero(bytes, 0, 12);
            if (nat64 || compatible) {
                return internalIpv4(java.util.Arrays.copyOfRange(bytes, 12, 16));
            }
            if ((bytes[0] & 0xff) == 0x20 && (bytes[1] & 0xff) == 0x02) {
                return internalIpv4(java.util.Arrays.copyOfRange(bytes, 2, 6));
            }
        }
        return false;
    }
}
