package dev.atrium.controlplane.secret;

/** Body of {@code PUT .../secrets/{name}}. Its toString never shows the value. */
public record SecretValue(String value) {
    @Override
    public String toString() {
        return "SecretValue[redacted]";
    }
}
