package dev.atrium.controlplane.cost;

/** What happened to a shipped batch: new events counted, and events that the ledger already held. */
public record UsageReceipt(int accepted, int duplicates) {
}
