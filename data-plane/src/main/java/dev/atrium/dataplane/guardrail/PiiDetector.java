package dev.atrium.dataplane.guardrail;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds personal data in text: e-mail addresses, phone numbers, payment card numbers (Luhn-checked), IBANs
 * (ISO 13616 mod-97 checked), US social security numbers, IPv4 and IPv6 addresses. Checksums keep random digit
 * runs (order numbers, timestamps) from being reported as cards or IBANs.
 */
public final class PiiDetector {

    private static final Pattern EMAIL = Pattern.compile("(?<![\\w.+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,24}\\b");
    /** Card numbers start with 2-6 (the issuer ranges of the card networks), which also keeps 00-prefixed phone numbers out. */
    private static final Pattern CARD = Pattern.compile("(?<![\\d-])[2-6](?:[ -]?\\d){11,17}\\d(?![\\d-])");
    private static final Pattern IBAN = Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\\b");
    private static final Pattern SSN = Pattern.compile("(?<![\\d-])(?!000|666|9\\d\\d)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}(?![\\d-])");
    /** National formats, and international ones ({@code +} or {@code 00}) with up to six groups; never part of a longer digit run. */
    private static final Pattern PHONE = Pattern.compile(
            "(?<![\\w+])(?<!\\d[ .-])(?:(?:\\+|00)\\d{1,3}[ .-]?(?:\\(\\d{1,4}\\)[ .-]?)?(?:\\d{1,4}[ .-]){1,4}\\d{2,6}"
                    + "|(?:\\(\\d{2,4}\\)[ .-]?|\\d{2,4}[ .-])\\d{3,4}[ .-]\\d{3,4}"
                    + "|\\+\\d{7,14})(?![\\w-])(?![ .-]?\\d)");
    private static final Pattern IPV4 = Pattern.compile("(?<![\\d.])(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?!\\d|\\.\\d)");
    /** "Top-level domains" that are really file extensions ({@code report@final.pdf.txt}). */
    private static final java.util.Set<String> FILE_EXTENSIONS = java.util.Set.of("txt", "pdf", "doc", "docx", "xls", "xlsx",
            "png", "jpg", "jpeg", "gif", "csv", "zip", "gz", "tar", "json", "xml", "yaml", "yml", "log", "md", "java", "py");
    private static final Pattern IPV6 = Pattern.compile(
            "(?<![\\w:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){1,7}:|(?:[0-9A-Fa-f]{1,4}:){1,6}:[0-9A-Fa-f]{1,4}"
                    + "|(?:[0-9A-Fa-f]{1,4}:){1,5}(?::[0-9A-Fa-f]{1,4}){1,2}|(?:[0-9A-Fa-f]{1,4}:){1,4}(?::[0-9A-Fa-f]{1,4}){1,3}"
                    + "|(?:[0-9A-Fa-f]{1,4}:){1,3}(?::[0-9A-Fa-f]{1,4}){1,4}|(?:[0-9A-Fa-f]{1,4}:){1,2}(?::[0-9A-Fa-f]{1,4}){1,5}"
                    + "|[0-9A-Fa-f]{1,4}:(?::[0-9A-Fa-f]{1,4}){1,6}|::(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})(?![\\w:])");

    /** Every finding, in text order; where two overlap, the earlier-listed (more specific) rule wins. */
    public List<Finding> find(String text) {
        List<Finding> findings = new ArrayList<>();
        collect(findings, EMAIL, text, "pii.email", PiiDetector::plausibleEmail);
        collect(findings, IBAN, text, "pii.iban", PiiDetector::validIban);
        collect(findings, CARD, text, "pii.payment-card", PiiDetector::luhn);
        collect(findings, SSN, text, "pii.us-ssn", null);
        collect(findings, IPV6, text, "pii.ipv6", PiiDetector::plausibleIpv6);
        collect(findings, IPV4, text, "pii.ipv4", null);
        collect(findings, PHONE, text, "pii.phone", PiiDetector::plausiblePhone);
        findings.sort(Comparator.comparingInt(Finding::start));
        return findings;
    }

    private static void collect(List<Finding> findings, Pattern pattern, String text, String rule,
                                java.util.function.Predicate<String> check) {
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            int start = matcher.start();
            int end = matcher.end();
            boolean overlaps = findings.stream().anyMatch(f -> start < f.end() && f.start() < end);
            if (!overlaps && (check == null || check.test(matcher.group()))) {
                findings.add(new Finding(rule, start, end));
            }
        }
    }

    static boolean luhn(String candidate) {
        String digits = candidate.replaceAll("[ -]", "");
        if (digits.length() < 13 || digits.length() > 19 || digits.chars().distinct().count() == 1) {
            return false;
        }
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    static boolean validIban(String candidate) {
        String iban = candidate.replace(" ", "").toUpperCase(Locale.ROOT);
        if (iban.length() < 15 || iban.length() > 34) {
            return false;
        }
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        StringBuilder numeric = new StringBuilder();
        for (char c : rearranged.toCharArray()) {
            numeric.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        return new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }

    private static boolean plausibleEmail(String candidate) {
        return !FILE_EXTENSIONS.contains(candidate.substring(candidate.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT));
    }

    /** Rejects times and ratios such as {@code 12:30} that the compressed IPv6 forms would otherwise match. */
    private static boolean plausibleIpv6(String candidate) {
        return candidate.chars().filter(c -> c == ':').count() >= 2;
    }

    private static boolean plausiblePhone(String candidate) {
        long digits = candidate.chars().filter(Character::isDigit).count();
        return digits >= 8 && digits <= 15;
    }
}
