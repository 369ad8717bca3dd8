package dev.atrium.contract;

/** A tenant secret's current value, for a data plane only; responses carrying it are marked no-store. */
public record SecretValue(String name, int version, String value) {

    @Override
    public String toString() {
        return "SecretValue[" + name + " v" + version + ", redacted]";
    }
}
