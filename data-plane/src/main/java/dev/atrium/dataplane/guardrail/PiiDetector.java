package dev.atrium.dataplane.guardrail;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds personal data in text: e-mail addresses, phone numbers, payment card numbers (Luhn-checked), IBANs
 * (ISO 13616 mod-97 checked), US social security numbers, IPv4 and IPv6 addresses. Checksums keep random digit
 * runs (order numbers, timestamps) from being reported as cards or IBANs.
 */
public final class PiiDetector {

    /** Domain labels have at most 63 characters; at most ten labels: bounded, so no input can exhaust the stack. */
    static final Pattern EMAIL = Pattern.compile("(?<![\\w.+%-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63}){0,8}\\.[A-Za-z]{2,24}\\b");
    /** Card numbers start with 2-6 (the issuer ranges of the card networks), which also keeps 00-prefixed phone numbers out. */
    static final Pattern CARD = Pattern.compile("(?<![\\d-])[2-6](?:[ -]?\\d){11,17}\\d(?![\\d-])");
    static final Pattern IBAN = Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\\b");
    static final Pattern SSN = Pattern.compile("(?<![\\d-])(?!000|666|9\\d\\d)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}(?![\\d-])");
    /** National formats, and international ones ({@code +} or {@code 00}) with up to six groups; never part of a longer digit run. */
    static final Pattern PHONE = Pattern.compile(
            "(?<![\\w+])(?<!\\d[ .-])(?:(?:\\+|00)\\d{1,3}[ .-]?(?:\\(\\d{1,4}\\)[ .-]?)?(?:\\d{1,4}[ .-]){1,4}\\d{2,6}"
                    + "|(?:\\(\\d{2,4}\\)[ .-]?|\\d{2,4}[ .-])\\d{3,4}[ .-]\\d{3,4}"
                    + "|\\+\\d{7,14})(?![\\w-])(?![ .-]?\\d)");
    static final Pattern IPV4 = Pattern.compile("(?<![\\d.])(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?!\\d|\\.\\d)");
    /** "Top-level domains" that are really file extensions ({@code report@final.pdf.txt}). */
    private static final java.util.Set<String> FILE_EXTENSIONS = java.util.Set.of("txt", "pdf", "doc", "docx", "xls", "xlsx",
            "png", "jpg", "jpeg", "gif", "csv", "zip", "gz", "tar", "json", "xml", "yaml", "yml", "log", "md", "java", "py");
    static final Pattern IPV6 = Pattern.compile(
            "(?<![\\w:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){1,7}:|(?:[0-9A-Fa-f]{1,4}:){1,6}:[0-9A-Fa-f]{1,4}"
                    + "|(?:[0-9A-Fa-f]{1,4}:){1,5}(?::[0-9A-Fa-f]{1,4}){1,2}|(?:[0-9A-Fa-f]{1,4}:){1,4}(?::[0-9A-Fa-f]{1,4}){1,3}"
                    + "|(?:[0-9A-Fa-f]{1,4}:){1,3}(?::[0-9A-Fa-f]{1,4}){1,4}|(?:[0-9A-Fa-f]{1,4}:){1,2}(?::[0-9A-Fa-f]{1,4}){1,5}"
                    + "|[0-9A-Fa-f]{1,4}:(?::[0-9A-Fa-f]{1,4}){1,6}|::(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})(?![\\w:])");

    /** Where a match of a pattern can start: a necessary condition, read from its opening lookbehind and first characters. */
    @FunctionalInterface
    interface StartCheck {
        boolean canStartAt(String text, int i);
    }

    /**
     * A kind of personal data: its pattern, where matches can start, and the check (checksum, plausibility) a match
     * must pass. Listed from the most specific to the least: where two overlap, the earlier rule wins.
     */
    record Rule(String name, Pattern pattern, StartCheck start, Predicate<String> check) {
    }

    static final List<Rule> RULES = List.of(
            new Rule("pii.email", EMAIL, (t, i) -> isLocalPartChar(t.charAt(i)) && !(i > 0 && (isWordChar(t.charAt(i - 1))
                    || ".+%-".indexOf(t.charAt(i - 1)) >= 0)) && atSignWithin(t, i, 64), PiiDetector::plausibleEmail),
            new Rule("pii.iban", IBAN, (t, i) -> isUpper(t.charAt(i)) && !(i > 0 && isWordChar(t.charAt(i - 1)))
                    && i + 3 < t.length() && isUpper(t.charAt(i + 1)) && isDigit(t.charAt(i + 2)) && isDigit(t.charAt(i + 3)),
                    PiiDetector::validIban),
            new Rule("pii.payment-card", CARD, (t, i) -> t.charAt(i) >= '2' && t.charAt(i) <= '6' && !(i > 0 && (isDigit(t.charAt(i - 1))
                    || t.charAt(i - 1) == '-')), PiiDetector::luhn),
            new Rule("pii.us-ssn", SSN, (t, i) -> isDigit(t.charAt(i)) && !(i > 0 && (isDigit(t.charAt(i - 1)) || t.charAt(i - 1) == '-'))
                    && i + 3 < t.length() && isDigit(t.charAt(i + 1)) && isDigit(t.charAt(i + 2)) && t.charAt(i + 3) == '-', null),
            new Rule("pii.ipv6", IPV6, (t, i) -> (isHex(t.charAt(i)) || t.charAt(i) == ':') && !(i > 0 && (isWordChar(t.charAt(i - 1))
                    || t.charAt(i - 1) == ':')) && colonAfterHex(t, i), PiiDetector::plausibleIpv6),
            new Rule("pii.ipv4", IPV4, (t, i) -> isDigit(t.charAt(i)) && !(i > 0 && (isDigit(t.charAt(i - 1)) || t.charAt(i - 1) == '.'))
                    && dotAfterDigits(t, i), null),
            new Rule("pii.phone", PHONE, (t, i) -> (isDigit(t.charAt(i)) || t.charAt(i) == '+' || t.charAt(i) == '(')
                    && !(i > 0 && (isWordChar(t.charAt(i - 1)) || t.charAt(i - 1) == '+'))
                    && !(i > 1 && isDigit(t.charAt(i - 2)) && " .-".indexOf(t.charAt(i - 1)) >= 0), PiiDetector::plausiblePhone));

    /** Every finding, in text order; where two overlap, the earlier-listed (more specific) rule wins. */
    public List<Finding> find(String text) {
        List<Finding> findings = new ArrayList<>();
        for (Rule rule : RULES) {
            findings = merge(findings, collect(findings, rule, text));
        }
        return findings;
    }

    /**
     * The rule's matches that pass its check and overlap none of {@code taken} (sorted by start, disjoint). The same
     * matches as {@code pattern.matcher(text).find()} in a loop, but the pattern is only tried where a match can
     * start: a plain loop over the characters rejects the other positions, where the regex engine would try every
     * alternative and lookbehind; so a megabyte of adversarial text takes milliseconds per rule, not a second.
     */
    private static List<Finding> collect(List<Finding> taken, Rule rule, String text) {
        List<Finding> found = new ArrayList<>();
        Matcher matcher = rule.pattern().matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
        int length = text.length();
        int next = 0;
        int i = 0;
        while (i < length) {
            if (!rule.start().canStartAt(text, i)) {
                i++;
                continue;
            }
            matcher.region(i, length);
            if (!matcher.lookingAt()) {
                i++;
                continue;
            }
            int start = matcher.start();
            int end = matcher.end();
            while (next < taken.size() && taken.get(next).end() <= start) {
                next++;
            }
            boolean overlaps = next < taken.size() && taken.get(next).start() < end;
            if (!overlaps && (rule.check() == null || rule.check().test(matcher.group()))) {
                found.add(new Finding(rule.name(), start, end));
            }
            i = Math.max(end, i + 1);
        }
        return found;
    }

    /** Two lists of findings sorted by start, as one. */
    private static List<Finding> merge(List<Finding> a, List<Finding> b) {
        if (b.isEmpty()) {
            return a;
        }
        List<Finding> merged = new ArrayList<>(a.size() + b.size());
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            merged.add(j == b.size() || (i < a.size() && a.get(i).start() <= b.get(j).start()) ? a.get(i++) : b.get(j++));
        }
        return merged;
    }

    /** {@code \w} of {@link Pattern}: {@code [A-Za-z0-9_]}. */
    private static boolean isWordChar(char c) {
        return isUpper(c) || (c >= 'a' && c <= 'z') || isDigit(c) || c == '_';
    }

    /** An e-mail address's {@code @} follows at most {@code max} local-part characters from {@code i}. */
    private static boolean atSignWithin(String text, int i, int max) {
        int end = Math.min(text.length(), i + max + 1);
        for (int j = i; j < end; j++) {
            char c = text.charAt(j);
            if (c == '@') {
                return j > i;
            }
            if (!isLocalPartChar(c)) {
                return false;
            }
        }
        return false;
    }

    /** Every IPv6 form starts with one to four hex digits and a colon, or with a colon. */
    private static boolean colonAfterHex(String text, int i) {
        int end = Math.min(text.length(), i + 5);
        for (int j = i; j < end; j++) {
            char c = text.charAt(j);
            if (c == ':') {
                return true;
            }
            if (!isHex(c)) {
                return false;
            }
        }
        return false;
    }

    /** An IPv4 address starts with one to three digits and a dot. */
    private static boolean dotAfterDigits(String text, int i) {
        int end = Math.min(text.length(), i + 4);
        for (int j = i; j < end; j++) {
            char c = text.charAt(j);
            if (c == '.') {
                return j > i;
            }
            if (!isDigit(c)) {
                return false;
            }
        }
        return false;
    }

    private static boolean isLocalPartChar(char c) {
        return isWordChar(c) && c != '_' || "._%+-".indexOf(c) >= 0;
    }

    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
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
