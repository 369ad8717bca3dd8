package dev.atrium.dataplane.guardrail;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises common prompt-injection attempts in user queries and in retrieved text: instructions to override
 * earlier instructions, role-play jailbreaks, attempts to extract the system prompt, and instructions hidden in
 * encoded payloads (base64 and hex are decoded and checked again). Rules are phrase patterns, not a classifier:
 * cheap, explainable (each block names its rule) and measured against a labelled set in the tests.
 */
public final class PromptInjectionDetector {

    private record Rule(String name, Pattern pattern) {
    }

    private static final String IGNORE = "(?:ignore|disregard|forget|skip|override|bypass|drop|abandon|set aside)";
    private static final String PRIOR = "(?:all |any |the |your |my |these |those |every )*(?:previous|prior|above|earlier|preceding|original|initial|system|existing|current)?";
    private static final String ORDERS = "(?:instructions?|prompts?|rules?|directives?|guidelines?|guardrails?|constraints?|restrictions?|context|programming|policies|policy|safety (?:rules|guidelines|filters))";

    private static final List<Rule> RULES = List.of(
            new Rule("injection.instruction-override", Pattern.compile(
                    "\\b" + IGNORE + "\\s+" + PRIOR + "\\s*" + ORDERS
                            + "|\\bnew instructions?\\s*:|\\bfrom now on,? (?:you|ignore|disregard|respond|answer|act)"
                            + "|\\b(?:instead|rather),? (?:do|follow|obey) (?:these|the following|my) (?:instructions|orders)"
                            + "|\\byour (?:new|real|true) (?:task|instructions?|objective|goal) (?:is|are)"
                            + "|\\bdo not follow (?:the|your|any) (?:previous |prior |system )?(?:instructions|rules)"
                            + "|\\b(?:stop|cease) (?:following|obeying) (?:the|your) (?:rules|instructions)",
                    Pattern.CASE_INSENSITIVE)),
            new Rule("injection.role-play-jailbreak", Pattern.compile(
                    "\\b(?:DAN|do anything now)\\b|\\bdeveloper mode\\b|\\bjailbr(?:eak|oken)\\b"
                            + "|\\b(?:pretend|act|behave|roleplay|role-play) (?:as if )?(?:you are|you're|to be|as) (?:an? )?(?:unrestricted|unfiltered|uncensored|evil|rogue|amoral|different ai|ai without)"
                            + "|\\byou (?:are|have) (?:now )?(?:no longer bound|free from|freed from|without any) (?:by )?(?:rules|restrictions|guidelines|limits|filters)"
                            + "|\\b(?:no|without) (?:ethical|moral|content) (?:restrictions|guidelines|filters|limits)"
                            + "|\\bstay in character\\b.*\\b(?:no matter|regardless)",
                    Pattern.CASE_INSENSITIVE)),
            new Rule("injection.system-prompt-exfiltration", Pattern.compile(
                    "\\b(?:reveal|show|print|display|repeat|output|tell me|give me|leak|dump|share|recite|what (?:is|are|was|were))\\s+(?:me\\s+)?(?:your|the)\\s+(?:full |entire |exact |original |hidden |secret |initial )*(?:system prompt|system message|instructions|initial prompt|hidden prompt|prompt above|developer message|pre-?prompt)"
                            + "|\\brepeat (?:everything|all|the text) (?:above|before this|that came before)"
                            + "|\\bwhat (?:were you|have you been) (?:told|instructed)"
                            + "|\\b(?:begin|start) your (?:reply|answer|response) with (?:your|the) (?:system prompt|instructions)",
                    Pattern.CASE_INSENSITIVE)));

    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]{24,}={0,2}");
    private static final Pattern HEX = Pattern.compile("(?:[0-9a-fA-F]{2}){16,}");
    private static final Pattern DECODE_REQUEST = Pattern.compile(
            "\\b(?:decode|base64|rot13|hex|decrypt|deobfuscate)\\b.{0,80}\\b(?:follow|execute|run|obey|do what it says|instructions)",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    public Optional<Finding> detect(String text) {
        for (Rule rule : RULES) {
            Matcher matcher = rule.pattern().matcher(text);
            if (matcher.find()) {
                return Optional.of(new Finding(rule.name(), matcher.start(), matcher.end()));
            }
        }
        return encoded(text);
    }

    private Optional<Finding> encoded(String text) {
        Matcher decodeRequest = DECODE_REQUEST.matcher(text);
        if (decodeRequest.find()) {
            return Optional.of(new Finding("injection.encoded-payload", decodeRequest.start(), decodeRequest.end()));
        }
        for (Pattern pattern : List.of(BASE64, HEX)) {
            Matcher matcher = pattern.matcher(text);
            while (matcher.find()) {
                String decoded = decode(matcher.group(), pattern == HEX);
                if (decoded != null && RULES.stream().anyMatch(rule -> rule.pattern().matcher(decoded).find())) {
                    return Optional.of(new Finding("injection.encoded-payload", matcher.start(), matcher.end()));
                }
            }
        }
        return Optional.empty();
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

    private static String padded(String base64) {
        String trimmed = base64.replace("=", "");
        return trimmed + "=".repeat((4 - trimmed.length() % 4) % 4);
    }
}
