package io.termsgate.engine.facts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Step 2's answer sheet. Each scorecard row of the spreadsheet awards the points of one band of one
 * characteristic; the grade rows then assign the grade from the {@link RiskScore}. One instance per evaluation.
 *
 * <p>The engine checks the sheet's work rather than trusting it: exactly one band per characteristic and exactly
 * one grade, or the decision is an engine error.
 */
public final class RiskScorecard {

    /** One band's points. */
    public record Award(String characteristic, int points) {}

    private final List<Award> awards = new ArrayList<>();
    private final List<String> grades = new ArrayList<>(1);

    /** Called by a scorecard row: {@code scorecard.award("Bureau score", 25)}. */
    public void award(String characteristic, int points) {
        awards.add(new Award(characteristic, points));
    }

    /** Called by a grade row: {@code scorecard.grade("B")}. */
    public void grade(String grade) {
        grades.add(grade);
    }

    public List<Award> getAwards() {
        return Collections.unmodifiableList(awards);
    }

    public List<String> getGrades() {
        return Collections.unmodifiableList(grades);
    }

    /** The risk score: the sum of the points awarded so far. */
    public int getScore() {
        int score = 0;
        for (Award award : awards) {
            score += award.points();
        }
        return score;
    }
}
