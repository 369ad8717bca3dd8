package dev.atrium.controlplane.provisioning;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Kubernetes API's rules for names, label keys and values and resource quantities, checked before anything is
 * sent so that a hostile or mistaken input is refused with a message naming the field instead of half-applied.
 */
final class KubernetesNames {

    /** RFC 1123 label: namespaces, services and most object names. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    /** RFC 1123 subdomain: label key prefixes. */
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern QUANTITY = Pattern.compile(
            "(0|[1-9][0-9]*)(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?");
    private static final Pattern CIDR = Pattern.compile(
            "(([0-9]{1,3}\\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2]))|([0-9a-fA-F:]+:[0-9a-fA-F:]*/[0-9]{1,3})");
    /** Printable, no whitespace: an image reference is passed verbatim into the pod spec. */
    private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@+-]*");

    private KubernetesNames() {
    }

    static String dnsLabel(String field, String value) {
        require(field, value);
        if (value.length() > 63 || !DNS_LABEL.matcher(value).matches()) {
            throw new InvalidSpecException(field + " must be a DNS-1123 label (lowercase letters, digits and '-', at most"
                    + " 63 characters, starting and ending with a letter or digit): " + quoted(value));
        }
        return value;
    }

    /** A DNS-1123 subdomain such as a host name: lowercase labels joined by dots, at most 253 characters. */
    static String dnsSubdomain(String field, String value) {
        require(field, value);
        if (value.length() > 253 || !DNS_SUBDOMAIN.matcher(value).matches()
                || java.util.Arrays.stream(value.split("\\.")).anyMatch(label -> label.length() > 63)) {
            throw new InvalidSpecException(field + " must be a DNS-1123 subdomain (lowercase labels of at most 63"
                    + " characters joined by dots, at most 253 in all): " + quoted(value));
        }
        return value;
    }

    static String labelValue(String field, String value) {
        require(field, value);
        if (value.length() > 63 || !LABEL_NAME.matcher(value).matches()) {
            throw new InvalidSpecException(field + " must be a valid label value (letters, digits, '-', '_', '.', at"
                    + " most 63 characters, starting and ending with a letter or digit): " + quoted(value));
        }
        return value;
    }

    static String labelKey(String field, String key) {
        require(field, key);
        int slash = key.lastIndexOf('/');
        String prefix = slash < 0 ? null : key.substring(0, slash);
        String name = slash < 0 ? key : key.substring(slash + 1);
        boolean prefixOk = prefix == null || (prefix.length() <= 253 && DNS_SUBDOMAIN.matcher(prefix).matches());
        if (!prefixOk || name.length() > 63 || !LABEL_NAME.matcher(name).matches()) {
            throw new InvalidSpecException(field + " has an invalid label key: " + quoted(key));
        }
        return key;
    }

    static Map<String, String> labels(String field, Map<String, String> labels) {
        if (labels == null) {
            return Map.of();
        }
        labels.forEach((key, value) -> {
            labelKey(field, key);
            if (!value.isEmpty()) {
                labelValue(field + "[" + key + "]", value);
            }
        });
        return Map.copyOf(labels);
    }

    static String quantity(String field, String value) {
        require(field, value);
        if (!QUANTITY.matcher(value).matches()) {
            throw new InvalidSpecException(field + " must be a Kubernetes quantity such as 500m, 4 or 16Gi: "
                    + quoted(value));
        }
        return value;
    }

    static String cidr(String field, String value) {
        require(field, value);
        if (!CIDR.matcher(value).matches()) {
            throw new InvalidSpecException(field + " must be a CIDR block such as 10.0.0.0/16: " + quoted(value));
        }
        return value;
    }

    static String image(String field, String value) {
        require(field, value);
        if (value.length() > 512 || !IMAGE.matcher(value).matches()) {
            throw new InvalidSpecException(field + " must be an image reference without spaces or control characters: "
                    + quoted(value));
        }
        return value;
    }

    static int port(String field, int port) {
        if (port < 1 || port > 65535) {
            throw new InvalidSpecException(field + " must be a port between 1 and 65535: " + port);
        }
        return port;
    }

    static int atLeast(String field, int value, int minimum) {
        if (value < minimum) {
            throw new InvalidSpecException(field + " must be at least " + minimum + ": " + value);
        }
        return value;
    }

    static String require(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidSpecException(field + " is required");
        }
        return value;
    }

    /** Quotes a refused value with control characters escaped, so a log line cannot be forged through it. */
    private static String quoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        value.codePoints().limit(80).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append(value.length() > 80 ? "...\"" : "\"").toString();
    }
}
