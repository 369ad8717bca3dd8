package dev.atrium.controlplane.cost;

import java.math.BigDecimal;

/** Decimal amounts as people write them: no trailing zeros, never an exponent ({@code 1000}, not {@code 1E+3}). */
final class Money {

    private Money() {
    }

    static BigDecimal plain(BigDecimal amount) {
        if (amount == null) {
            return null;
        }
        BigDecimal stripped = amount.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
