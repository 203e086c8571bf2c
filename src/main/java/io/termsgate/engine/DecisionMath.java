package io.termsgate.engine;

import java.math.BigDecimal;

/** Exact decimal helpers shared by the HTTP edge and the engine. */
public final class DecisionMath {

    private DecisionMath() {}

    /** A number in canonical form: no trailing zeros, never an exponent ({@code 20000000}, not {@code 2E+7}). */
    public static BigDecimal canonical(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
