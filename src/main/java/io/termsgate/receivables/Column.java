package io.termsgate.receivables;

import io.termsgate.engine.ApplicationField;
import java.util.Arrays;
import java.util.List;

/**
 * The columns of a receivables file, by name as they appear in a CSV header or a JSON line. Each one that a decision
 * request also carries is checked by that request field's rule ({@link ApplicationField}), so the ERP and checkout
 * are held to the same numbers.
 */
enum Column {
    CUSTOMER_ID("customerId", ApplicationField.CUSTOMER_ID, true),
    AS_OF("asOf", null, true),
    OUTSTANDING_BALANCE("outstandingBalance", ApplicationField.OUTSTANDING_BALANCE, true),
    INVOICES_PAID("invoicesPaid", ApplicationField.INVOICES_PAID, false),
    AVG_DAYS_BEYOND_TERMS("avgDaysBeyondTerms", ApplicationField.AVG_DAYS_BEYOND_TERMS, false),
    MAX_DAYS_PAST_DUE("maxDaysPastDue", ApplicationField.MAX_DAYS_PAST_DUE, false);

    static final List<String> NAMES =
            Arrays.stream(values()).map(Column::columnName).toList();
    static final List<String> REQUIRED = Arrays.stream(values())
            .filter(Column::required)
            .map(Column::columnName)
            .toList();

    private final String columnName;
    private final ApplicationField field;
    private final boolean required;

    Column(String columnName, ApplicationField field, boolean required) {
        this.columnName = columnName;
        this.field = field;
        this.required = required;
    }

    String columnName() {
        return columnName;
    }

    /** The decision request's field whose rule this column follows; {@code null} for {@code asOf}. */
    ApplicationField field() {
        return field;
    }

    /** Required columns must be in the file and filled in every row; the others may be left blank (unknown). */
    boolean required() {
        return required;
    }

    static String allowed() {
        return String.join(", ", NAMES);
    }
}
