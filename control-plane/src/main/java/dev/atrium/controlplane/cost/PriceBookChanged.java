package dev.atrium.controlplane.cost;

/** A price book version was stored; observers act once the transaction committed. */
public record PriceBookChanged() {
}
