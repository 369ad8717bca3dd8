package dev.atrium.dataplane.guardrail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises common prompt-injection attempts in user queries and in retrieved text: instructions to override
 * earlier instructions, role-play jailbreaks, attempts to extract the system prompt, and instructions hidden in
 * encoded payloads (base64 and hex are decoded and checked again). Rules are phrase patterns, not a classifier:
 * cheap, explainable (each block names its rule) and measured against a labelled set in the tests.
 *
 * <p>Every quantifier is bounded, and a rule is only tried where one of the words its phrases begin with starts
 * (see {@link #matchRules}); a phrase of the form "these words, then within n characters those" looks up where
 * "those" occur once per text instead of scanning n characters after every "these". So a megabyte of text takes
 * a few hundred milliseconds at most, whatever it contains.
 */
public final class PromptInjectionDetector {

    /**
     * A named rule: phrases (regex alternatives, each starting at a word boundary), indexed by the words they can
     * begin with. {@code whole} is the same rule as one pattern, which {@link #matchRules} is equivalent to.
     */
    record Rule(String name, Pattern whole, List<Phrase> phrases, Map<String, int[]> phrasesByFirstWord) {
    }

    /** How a phrase says "then, within n characters": {@code \b.{0,n}\b}. */
    private static final Pattern GAP_PHRASE = Pattern.compile("\\\\b\\.\\{0,(\\d+)}\\\\b");
    private static final String IGNORE = "(?:ignore|disregard|forget|skip|overrides?|bypass|drop|abandon|set aside|neglect)";
    private static final String PRIOR = "(?:all |any |the |your |my |these |those |every ){0,3}(?:previous |prior |above |earlier |preceding |original |initial |system |existing |current |content |safety |ethical |moral ){0,3}";
    /** Whitespace between the words of a phrase: bounded, so that a run of blanks costs linear time, never more. */
    private static final String GAP = "\\s{1,16}";
    private static final String ORDERS = "(?:instructions?|prompts?|rules?|directives?|guidelines?|guidance|guardrails?|constraints?|restrictions?|context|programming|policies|policy|(?:system )?messages?|safety (?:rules|guidelines|filters))";

    static final List<Rule> RULES = List.of(
            rule("injection.instruction-override",
                    IGNORE + GAP + PRIOR + ORDERS,
                    "(?:ignore|disregard|forget)" + GAP + "(?:whatever|everything|anything|all)" + GAP + "(?:you were|you've been|you have been|I|that was|that you were)?\\s{0,16}(?:told|said|given|written|instructed|above|before|earlier|so far)",
                    "new instructions?\\s{0,16}:",
                    "from now on,? (?:you|ignore|disregard|respond|answer|act)",
                    "(?:instead|rather),? (?:do|follow|obey) (?:these|the following|my) (?:instructions|orders)",
                    "your (?:new|real|true) (?:task|instructions?|objective|goal) (?:is|are)",
                    "do not follow (?:the|your|any) (?:previous |prior |system )?(?:instructions|rules)",
                    "(?:stop|cease) (?:following|obeying) (?:the|your) (?:rules|instructions)"),
            rule("injection.role-play-jailbreak",
                    "(?:you are|act as|be|pretend to be|called|named)" + GAP + "(?-i:DAN)\\b",
                    "(?-i:DAN) mode\\b",
                    "do anything now\\b",
                    "developer mode (?:enabled|activated|is on)\\b",
                    "(?:enable|activate|enter|switch to|with) developer mode\\b(?! on (?:android|ios|your phone|windows|chrome|the device))",
                    "(?:you are|you're|now|be) jailbroken\\b",
                    "jailbreak (?:prompt|mode)\\b",
                    "this is a jailbreak\\b",
                    "(?:pretend|act|behave|roleplay|role-play) (?:as if )?(?:you are|you're|to be|as) (?:an? )?(?:unrestricted|unfiltered|uncensored|evil|rogue|amoral|different ai|ai without)",
                    "you (?:are|have) (?:now )?(?:no longer bound|free from|freed from|without any) (?:by )?(?:all |any )?(?:rules|restrictions|guidelines|limits|filters)",
                    "(?:no|without) (?:ethical|moral|content) (?:restrictions|guidelines|filters|limits)",
                    "(?:pretend|imagine|suppose|act as if|assume)\\b.{0,40}\\b(?:no|without any|without) (?:safety |content )?(?:restrictions|filters|rules|limits|guidelines|guardrails)\\b",
                    "(?:freed|free|released|liberated) from (?:its|your|all|any|the) (?:content policy|restrictions|rules|guidelines|safety (?:rules|filters)|programming)",
                    "stay in character\\b.{0,200}\\b(?:no matter|regardless)"),
            rule("injection.system-prompt-exfiltration",
                    "(?:reveal|show|print|display|repeat|output|tell me|give me|leak|dump|share|recite|what (?:is|are|was|were))" + GAP + "(?:me" + GAP + ")?"
                            + "(?:your" + GAP + "(?:full |entire |exact |original |hidden |secret |initial ){0,3}(?:system prompt|system message|instructions|initial prompt|hidden prompt|developer message|pre-?prompt)"
                            + "|the" + GAP + "(?:full |entire |exact |original |hidden |secret |initial ){0,3}(?:system prompt|system message|initial prompt|hidden prompt|prompt above|developer message|pre-?prompt|secret instructions|hidden instructions))",
                    "the (?:instructions|rules|prompt) (?:you were|you've been|you have been|that were) (?:given|told)",
                    "the instructions you (?:received|got)\\b",
                    "(?:print|show|leak|output|share|tell me|give me|reveal|display|dump|repeat)(?: out| back)?" + GAP + "(?:me" + GAP + ")?(?:the |your )?(?:hidden |secret |initial |original |system |full ){0,3}(?:instructions|prompt|system message)s?" + GAP + "(?:you were|you've been|that (?:the )?(?:developer|operator|admin)|verbatim|back to me|word for word|before answering)",
                    "(?:contents?|text) of (?:your|the) (?:system (?:message|prompt)|hidden prompt|instructions)",
                    "what does your (?:system prompt|system message|prompt|instructions?) say",
                    "everything (?:written|said|typed|that came) before (?:my|this|the) (?:first )?(?:message|question)",
                    "(?:initial|original|hidden|secret) instructions (?:that|which) (?:the )?(?:developer|operator|admin|system)",
                    "repeat (?:everything|all|all the text|the text)(?: that (?:came|was))? (?:above|before)",
                    "what (?:were you|have you been) (?:told|instructed)",
                    "(?:begin|start) your (?:reply|answer|response) with (?:your|the) (?:system prompt|instructions)"));

    /** Longer than any match of a phrase without a gap, and of any head or tail of a phrase with one. */
    private static final int MAX_MATCH_LENGTH = 600;

    /** A request to decode something and act on it; checked after the rules, as an encoded payload. */
    static final Rule DECODE_REQUEST = rule("injection.encoded-payload", Pattern.CASE_INSENSITIVE | Pattern.DOTALL,
            "(?:decode|base64|rot13|hex|decrypt|deobfuscate)\\b.{0,80}\\b(?:follow|execute|run|obey|do what it says|instructions)");
    private static final Set<String> FIRST_WORDS = java.util.stream.Stream.concat(RULES.stream(), java.util.stream.Stream.of(DECODE_REQUEST))
            .flatMap(r -> r.phrasesByFirstWord().keySet().stream())
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    private static final int LONGEST_FIRST_WORD = 16;

    public Optional<Finding> detect(String text) {
        Optional<Finding> rule = matchRules(text, RULES);
        return rule.isPresent() ? rule : encoded(text);
    }

    static Optional<Finding> matchRules(String text) {
        return matchRules(text, RULES);
    }

    /**
     * The leftmost match of the first rule that matches, exactly what {@code rule.whole().matcher(text).find()}
     * finds: every phrase starts with one of a few words at a word boundary, so only those positions are tried,
     * and at each only the phrases that can begin with the word there, in the rule's order.
     */
    static Optional<Finding> matchRules(String text, List<Rule> rules) {
        List<Candidate> candidates = candidates(text);
        Text scanned = new Text(text);
        for (Rule rule : rules) {
            for (Candidate candidate : candidates) {
                int[] phrases = rule.phrasesByFirstWord().get(candidate.word());
                if (phrases == null) {
                    continue;
                }
                for (int phrase : phrases) {
                    int end = rule.phrases().get(phrase).matchAt(scanned, candidate.start());
                    if (end >= 0) {
                        return Optional.of(new Finding(rule.name(), candidate.start(), end));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private record Candidate(int start, String word) {
    }

    /** Every word ({@code [A-Za-z0-9_]+}, lower-cased) that some phrase can begin with. */
    private static List<Candidate> candidates(String text) {
        List<Candidate> candidates = new ArrayList<>();
        int length = text.length();
        int i = 0;
        while (i < length) {
            if (!isWordChar(text.charAt(i))) {
                i++;
                continue;
            }
            int end = i + 1;
            while (end < length && isWordChar(text.charAt(end))) {
                end++;
            }
            if (end - i <= LONGEST_FIRST_WORD) {
                String word = text.substring(i, end).toLowerCase(Locale.ROOT);
                if (FIRST_WORDS.contains(word)) {
                    candidates.add(new Candidate(i, word));
                }
            }
            i = end;
        }
        return candidates;
    }

    /** A word character as {@code \b} of {@link Pattern} sees it since JDK 19 ({@code [A-Za-z0-9_]}). */
    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /** A text being scanned, with the matchers and tail positions its phrases have needed so far. */
    private static final class Text {
        final String text;
        final Map<Object, Matcher> matchers = new HashMap<>();
        final Map<GapPhrase, int[]> tails = new HashMap<>();

        Text(String text) {
            this.text = text;
        }

        /** A matcher that can see outside its region (for {@code \b} and lookarounds), anchored at the region start. */
        Matcher matcher(Pattern pattern, int from) {
            Matcher matcher = matchers.computeIfAbsent(pattern, p -> pattern.matcher(text).useTransparentBounds(true).useAnchoringBounds(false));
            matcher.region(from, Math.min(text.length(), from + MAX_MATCH_LENGTH));
            return matcher;
        }
    }

    /** One alternative of a rule: where its match starting at {@code start} ends, or -1. */
    interface Phrase {
        int matchAt(Text text, int start);
    }

    private record RegexPhrase(Pattern pattern) implements Phrase {
        @Override
        public int matchAt(Text text, int start) {
            Matcher matcher = text.matcher(pattern, start);
            return matcher.lookingAt() ? matcher.end() : -1;
        }
    }

    /**
     * "head, at most {@code gap} characters (of one line unless {@code dotAll}), tail", as the regex
     * {@code head.{0,gap}tail} would match it: the greedy gap settles on the last place within reach where the tail
     * matches (a head matches in one way at a position: its alternatives are distinct words). Where the tail matches is looked up once per text, so each head costs a binary search instead of
     * {@code gap} attempts of the tail.
     */
    private record GapPhrase(Pattern head, int gap, boolean dotAll, Pattern tail) implements Phrase {
        @Override
        public int matchAt(Text text, int start) {
            Matcher head = text.matcher(this.head, start);
            if (!head.lookingAt()) {
                return -1;
            }
            int from = head.end();
            int reach = Math.min(text.text.length(), from + gap);
            if (!dotAll) {
                for (int i = from; i < reach; i++) {
                    if (isLineTerminator(text.text.charAt(i))) {
                        reach = i;
                        break;
                    }
                }
            }
            int[] tails = text.tails.computeIfAbsent(this, phrase -> tailStarts(text));
            int index = Arrays.binarySearch(tails, reach);
            int last = index >= 0 ? index : -index - 2;
            if (last < 0 || tails[last] < from) {
                return -1;
            }
            Matcher tail = text.matcher(this.tail, tails[last]);
            return tail.lookingAt() ? tail.end() : -1;
        }

        /** Every position where the tail matches, in order. */
        private int[] tailStarts(Text text) {
            Matcher matcher = tail.matcher(text.text);
            int[] starts = new int[16];
            int count = 0;
            int from = 0;
            while (from <= text.text.length() && matcher.find(from)) {
                if (count == starts.length) {
                    starts = Arrays.copyOf(starts, count * 2);
                }
                starts[count++] = matcher.start();
                from = matcher.start() + 1;
            }
            return Arrays.copyOf(starts, count);
        }

        /** What {@code .} does not match without DOTALL. */
        private static boolean isLineTerminator(char c) {
            return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
        }
    }

    private static Rule rule(String name, String... phrases) {
        return rule(name, Pattern.CASE_INSENSITIVE, phrases);
    }

    private static Rule rule(String name, int flags, String... phrases) {
        List<Phrase> compiled = new ArrayList<>();
        Map<String, List<Integer>> byWord = new HashMap<>();
        for (int i = 0; i < phrases.length; i++) {
            Matcher gap = GAP_PHRASE.matcher(phrases[i]);
            compiled.add(gap.find()
                    ? new GapPhrase(Pattern.compile("\\b(?:" + phrases[i].substring(0, gap.start()) + ")\\b", flags),
                            Integer.parseInt(gap.group(1)), (flags & Pattern.DOTALL) != 0,
                            Pattern.compile("\\b(?:" + phrases[i].substring(gap.end()) + ")", flags))
                    : new RegexPhrase(Pattern.compile("\\b(?:" + phrases[i] + ")", flags)));
            for (String word : firstWords(phrases[i])) {
                byWord.computeIfAbsent(word, w -> new ArrayList<>()).add(i);
            }
        }
        Map<String, int[]> index = new HashMap<>();
        byWord.forEach((word, list) -> index.put(word, list.stream().mapToInt(Integer::intValue).toArray()));
        Pattern whole = Pattern.compile("\\b(?:" + String.join("|", phrases) + ")", flags);
        return new Rule(name, whole, List.copyOf(compiled), Map.copyOf(index));
    }

    /**
     * The words (lower case) a phrase can begin with, read from its regex: a leading word, or each branch of a
     * leading group. Fails at class initialisation for a phrase whose start it cannot read, so a new rule cannot
     * silently go unchecked.
     */
    static Set<String> firstWords(String regex) {
        Set<String> words = new LinkedHashSet<>();
        if (regex.startsWith("(?:") || regex.startsWith("(?-i:")) {
            int open = regex.indexOf(':') + 1;
            int depth = 1;
            int branchStart = open;
            for (int i = open; i < regex.length() && depth > 0; i++) {
                char c = regex.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0 || c == '|' && depth == 1) {
                    words.addAll(firstWords(regex.substring(branchStart, i)));
                    branchStart = i + 1;
                }
            }
            return words;
        }
        int end = 0;
        while (end < regex.length() && isWordChar(regex.charAt(end))) {
            end++;
        }
        String next = end < regex.length() ? regex.substring(end, end + 1) : "";
        if (end == 0 || "[.*+{".contains(next) && !next.isEmpty()) {
            throw new IllegalStateException("cannot tell which word the phrase starts with: " + regex);
        }
        String word = regex.substring(0, end).toLowerCase(Locale.ROOT);
        words.add(word);
        if (next.equals("?")) {
            words.add(word.substring(0, word.length() - 1));
        }
        return words;
    }

    /**
     * A request to decode and obey, or a payload that decodes to text the rules refuse: base64 runs of at least 24
     * characters (with up to two {@code =}) and hex runs of at least 32, as {@code [A-Za-z0-9+/]{24,}={0,2}} and
     * {@code [0-9a-fA-F]{32,}} would find them, read in one pass each.
     */
    private Optional<Finding> encoded(String text) {
        Optional<Finding> decodeRequest = matchRules(text, List.of(DECODE_REQUEST));
        if (decodeRequest.isPresent()) {
            return decodeRequest;
        }
        for (boolean hex : new boolean[] {false, true}) {
            int i = 0;
            while (i < text.length()) {
                int end = i;
                while (end < text.length() && (hex ? isHex(text.charAt(end)) : isBase64(text.charAt(end)))) {
                    end++;
                }
                if (end - i >= (hex ? 32 : 24)) {
                    int padded = end;
                    while (!hex && padded < text.length() && padded - end < 2 && text.charAt(padded) == '=') {
                        padded++;
                    }
                    String payload = hex ? evenLength(text.substring(i, end)) : text.substring(i, padded);
                    String decoded = decode(payload, hex);
                    if (decoded != null && matchRules(decoded).isPresent()) {
                        return Optional.of(new Finding("injection.encoded-payload", i, hex ? end : padded));
                    }
                }
                i = Math.max(end, i + 1);
            }
        }
        return Optional.empty();
    }

    private static boolean isBase64(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static String decode(String payload, boolean hex) {
        try {
            byte[] bytes = hex ? java.util.HexFormat.of().parseHex(payload) : Base64.getDecoder().decode(padded(payload));
            String decoded = new String(bytes, StandardCharsets.UTF_8);
            long printable = decoded.chars().filter(c -> c >= 32 && c < 127).count();
            return printable >= decoded.length() * 0.9 ? decoded : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String evenLength(String hex) {
        return hex.length() % 2 == 0 ? hex : hex.substring(0, hex.length() - 1);
    }

    private static String padded(String base64) {
        String trimmed = base64.replace("=", "");
        return trimmed + "=".repeat((4 - trimmed.length() % 4) % 4);
    }
}
