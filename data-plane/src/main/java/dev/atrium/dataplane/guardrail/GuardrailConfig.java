package dev.atrium.dataplane.guardrail;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The guardrails' settings ({@code atrium.guardrails.*}): defaults of tenants' policies and the size bounds. */
@ConfigMapping(prefix = "atrium.guardrails")
public interface GuardrailConfig {

    /** Default PII policy for tenants that have not set their own. */
    @WithDefault("flag")
    GuardrailAction pii();

    /** Default prompt-injection policy for tenants that have not set their own. */
    @WithDefault("block")
    GuardrailAction promptInjection();

    /** The longest user, system or tool message of a chat request, in characters (longer: 413). */
    @WithDefault("1000000")
    int maxMessageChars();

    /** The most characters of user, system and tool messages one chat request may carry together (more: 413). */
    @WithDefault("2000000")
    int maxRequestChars();

    /** How many texts of at most 2,000 characters the embedding classifier reads per chat request, newest first. */
    @WithDefault("16")
    int classifierWindowsPerRequest();
}
