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

    private static final String IGNORE = "(?:ignore|disregard|forget|skip|overrides?|bypass|drop|abandon|set aside|neglect)";
    private static final String PRIOR = "(?:all |any |the |your |my |these |those |every )*(?:previous |prior |above |earlier |preceding |original |initial |system |existing |current |content |safety |ethical |moral )*";
    private static final String ORDERS = "(?:instructions?|prompts?|rules?|directives?|guidelines?|guidance|guardrails?|constraints?|restrictions?|context|programming|policies|policy|(?:system )?messages?|safety (?:rules|guidelines|filters))";

    private static final List<Rule> RULES = List.of(
            new Rule("injection.instruction-override", Pattern.compile(
                    "\\b" + IGNORE + "\\s+" + PRIOR + ORDERS
                            + "|\\b(?:ignore|disregard|forget)\\s+(?:whatever|everything|anything|all)\\s+(?:you were|you've been|you have been|I|that was|that you were)?\\s*(?:told|said|given|written|instructed|above|before|earlier|so far)"
                            + "|\\bnew instructions?\\s*:|\\bfrom now on,? (?:you|ignore|disregard|respond|answer|act)"
                            + "|\\b(?:instead|rather),? (?:do|follow|obey) (?:these|the following|my) (?:instructions|orders)"
                            + "|\\byour (?:new|real|true) (?:task|instructions?|objective|goal) (?:is|are)"
                            + "|\\bdo not follow (?:the|your|any) (?:previous |prior |system )?(?:instructions|rules)"
                            + "|\\b(?:stop|cease) (?:following|obeying) (?:the|your) (?:rules|instructions)",
                    Pattern.CASE_INSENSITIVE)),
            new Rule("injection.role-play-jailbreak", Pattern.compile(
                    "\\b(?:you are|act as|be|pretend to be|called|named)\\s+(?-i:DAN)\\b|\\b(?-i:DAN) mode\\b|\\bdo anything now\\b"
                            + "|\\bdeveloper mode (?:enabled|activated|is on)\\b|\\b(?:enable|activate|enter|switch to|with) developer mode\\b(?! on (?:android|ios|your phone|windows|chrome|the device))"
                            + "|\\b(?:you are|you're|now|be) jailbroken\\b|\\bjailbreak (?:prompt|mode)\\b|\\bthis is a jailbreak\\b"
                            + "|\\b(?:pretend|act|behave|roleplay|role-play) (?:as if )?(?:you are|you're|to be|as) (?:an? )?(?:unrestricted|unfiltered|uncensored|evil|rogue|amoral|different ai|ai without)"
                            + "|\\byou (?:are|have) (?:now )?(?:no longer bound|free from|freed from|without any) (?:by )?(?:all |any )?(?:rules|restrictions|guidelines|limits|filters)"
                            + "|\\b(?:no|without) (?:ethical|moral|content) (?:restrictions|guidelines|filters|limits)"
                            + "|\\b(?:pretend|imagine|suppose|act as if|assume)\\b.{0,40}\\b(?:no|without any|without) (?:safety |content )?(?:restrictions|filters|rules|limits|guidelines|guardrails)\\b"
                            + "|\\b(?:freed|free|released|liberated) from (?:its|your|all|any|the) (?:content policy|restrictions|rules|guidelines|safety (?:rules|filters)|programming)"
                            + "|\\bstay in character\\b.*\\b(?:no matter|regardless)",
                    Pattern.CASE_INSENSITIVE)),
            new Rule("injection.system-prompt-exfiltration", Pattern.compile(
                    "\\b(?:reveal|show|print|display|repeat|output|tell me|give me|leak|dump|share|recite|what (?:is|are|was|were))\\s+(?:me\\s+)?"
                            + "(?:your\\s+(?:full |entire |exact |original |hidden |secret |initial )*(?:system prompt|system message|instructions|initial prompt|hidden prompt|developer message|pre-?prompt)"
                            + "|the\\s+(?:full |entire |exact |original |hidden |secret |initial )*(?:system prompt|system message|initial prompt|hidden prompt|prompt above|developer message|pre-?prompt|secret instructions|hidden instructions))"
                            + "|\\bthe (?:instructions|rules|prompt) (?:you were|you've been|you have been|that were) (?:given|told)|\\bthe instructions you (?:received|got)\\b"
                            + "|\\b(?:print|show|leak|output|share|tell me|give me|reveal|display|dump|repeat)(?: out| back)?\\s+(?:me\\s+)?(?:the |your )?(?:hidden |secret |initial |original |system |full )*(?:instructions|prompt|system message)s?\\s+(?:you were|you've been|that (?:the )?(?:developer|operator|admin)|verbatim|back to me|word for word|before answering)"
                            + "|\\b(?:contents?|text) of (?:your|the) (?:system (?:message|prompt)|hidden prompt|instructions)"
                            + "|\\bwhat does your (?:system prompt|system message|prompt|instructions?) say"
                            + "|\\beverything (?:written|said|typed|that came) before (?:my|this|the) (?:first )?(?:message|question)"
                            + "|\\b(?:initial|original|hidden|secret) instructions (?:that|which) (?:the )?(?:developer|operator|admin|system)"
                            + "|\\brepeat (?:everything|all|all the text|the text)(?: that (?:came|was))? (?:above|before)"
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
