package io.termsgate.engine.facts;

/**
 * The total of the scorecard, inserted once every scorecard row has fired so that grade rows match the final score
 * and never a partial one.
 */
public final class RiskScore {

    private final int value;

    public RiskScore(int value) {
        this.value = value;
    }

    public int getValue() {
        return value;
    }

    @Override
    public String toString() {
        return "RiskScore[" + value + "]";
    }
}
