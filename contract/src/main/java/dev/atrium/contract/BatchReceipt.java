package dev.atrium.contract;

/** What happened to a batch shipped by a data plane: events new to the control plane, and events it already had. */
public record BatchReceipt(int accepted, int duplicates) {
}
