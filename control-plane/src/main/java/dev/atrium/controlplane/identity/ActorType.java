package dev.atrium.controlplane.identity;

/** Who performed an action, as recorded in the audit trail. */
public enum ActorType {
    API_KEY("api-key"),
    USER("user"),
    SERVICE("service"),
    SYSTEM("system"),
    ANONYMOUS("anonymous");

    private final String value;

    ActorType(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}
