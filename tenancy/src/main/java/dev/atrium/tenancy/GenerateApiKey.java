package dev.atrium.tenancy;

import java.security.SecureRandom;

/** Prints a new random key in Atrium's format; the local launcher uses it to give data planes their service keys. */
public final class GenerateApiKey {

    private GenerateApiKey() {
    }

    public static void main(String[] args) {
        System.out.println(ApiKeyFormat.generate(new SecureRandom()));
    }
}
