package io.termsgate.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scenario files as RFC 4180 CSV, as analysts' spreadsheets write them. */
class ScenariosCsvTest {

    static List<List<String>> rows(String text) {
        return ScenarioRunner.csv(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void quotedFieldsKeepCommasDoubledQuotesAndLineBreaks() {
        assertThat(rows("name,customer.flags\r\n\"a, \"\"quoted\"\"\nname\",BANKRUPTCY FRAUD_ALERT\r\n"))
                .containsExactly(
                        List.of("name", "customer.flags"), List.of("a, \"quoted\"\nname", "BANKRUPTCY FRAUD_ALERT"));
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstColumn() {
        assertThat(rows("\uFEFFname,order.amount\nx,1\n").get(0)).containsExactly("name", "order.amount");
    }

    @Test
    void emptyLinesStayRowsSoThatRowNumbersAreTheFiles() {
        List<List<String>> rows = rows("name\n\nsecond\rthird");
        assertThat(rows).hasSize(4);
        assertThat(rows.get(1)).allMatch(String::isBlank);
        assertThat(rows.get(3)).containsExactly("third");
    }

    @Test
    void anUnclosedQuoteIsRefusedWithAReason() {
        assertThatThrownBy(() -> rows("name\n\"never closed\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a quoted field is never closed");
    }

    @Test
    void theColumnsAreTheDescribedFields() {
        assertThat(ScenarioRunner.INPUT_COLUMNS)
                .contains("customer.paymentHistory.invoicesPaid", "order.amount")
                .hasSize(io.termsgate.engine.ApplicationField.values().length);
        assertThat(ScenarioRunner.OUTPUTS)
                .containsExactly(
                        "outcome",
                        "approvalRoute",
                        "riskScore",
                        "riskGrade",
                        "creditLimit",
                        "availableCredit",
                        "termDays",
                        "reasons");
    }
}
