package io.termsgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsgate.audit.AuditFormats;
import io.termsgate.creditapplication.DecisionRequestBody;
import io.termsgate.creditapplication.DecisionRequestReader;
import io.termsgate.engine.ApplicationField;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.ResultField;
import io.termsgate.support.Applications;
import io.termsgate.web.InvalidRequestException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An application and a result are described once, in {@link ApplicationField} and {@link ResultField}; adding an
 * input field touches: its constant in {@code ApplicationField} (path, label, rule, how to read it), the constructor
 * call in {@code ApplicationField.application}, the fact class it lives on ({@code engine/facts}), and the OpenAPI
 * record {@code DecisionRequestBody}. The reader, canonical JSON, DMN context, scenario columns, CSV export, sandbox
 * messages and console page follow from the description. These tests fail when one of them stops following it.
 * (docs/architecture.md, "Adding a field".)
 */
class AddingAFieldTouchesFewPlacesTest {

    @Test
    void everyDescribedFieldIsWrittenToTheLogAndReadBackByTheRequestReader() throws Exception {
        CreditApplication application = Applications.typical()
                .creditScore(null)
                .flags("COLLECTIONS")
                .avgDaysBeyondTerms("4.5")
                .orderId("SO-1")
                .heldAmount("1500.5")
                .build();
        JsonNode written = AuditFormats.tree(AuditFormats.request(application));

        for (ApplicationField field : ApplicationField.values()) {
            assertThat(written.at("/" + field.path().replace('.', '/')).isMissingNode())
                    .as(field.path())
                    .isFalse();
        }
        assertThat(DecisionRequestReader.readInputs(written)).isEqualTo(application);
        assertThat(AuditFormats.readRequest(AuditFormats.request(application))).isEqualTo(application);
    }

    @Test
    void theReaderAllowsExactlyTheDescribedNames() throws Exception {
        ObjectNode request = (ObjectNode)
                AuditFormats.tree(AuditFormats.request(Applications.typical().build()));
        ((ObjectNode) request.get("customer")).put("shoeSize", 44);

        assertThatThrownBy(() -> DecisionRequestReader.readInputs(request))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.errors()).singleElement().satisfies(error -> {
                            assertThat(error.field()).isEqualTo("customer.shoeSize");
                            ApplicationField.namesIn("customer")
                                    .forEach(name -> assertThat(error.message()).contains(name));
                        }));
    }

    @Test
    void aCheckoutRequestMayNotSetWhatTheCreditLineSets() throws Exception {
        ObjectNode request = (ObjectNode) AuditFormats.tree(
                AuditFormats.request(Applications.typical().heldAmount("10").build()));

        assertThatThrownBy(() -> DecisionRequestReader.read(request))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.errors()).singleElement().satisfies(error -> {
                            assertThat(error.field()).isEqualTo("customer.heldAmount");
                            assertThat(error.message()).contains("credit line");
                        }));
    }

    @Test
    void theApiDescriptionHasEveryDescribedFieldACheckoutMaySend() {
        for (ApplicationField field : ApplicationField.values()) {
            if (field.fromCreditLine()) {
                assertThat(Arrays.stream(DecisionRequestBody.Customer.class.getRecordComponents()))
                        .noneMatch(c -> field.path().endsWith("." + c.getName()));
                continue;
            }
            Class<?> type = DecisionRequestBody.class;
            for (String segment : field.path().split("\\.")) {
                RecordComponent component = Arrays.stream(type.getRecordComponents())
                        .filter(c -> c.getName().equals(segment))
                        .findFirst()
                        .orElse(null);
                assertThat(component)
                        .as("DecisionRequestBody has %s", field.path())
                        .isNotNull();
                type = component.getType();
            }
        }
    }

    @Test
    void theResponseDescriptionHasEveryResultField() throws Exception {
        List<String> components = Arrays.stream(Class.forName("io.termsgate.decision.DecisionResponseBody")
                        .getRecordComponents())
                .map(RecordComponent::getName)
                .toList();

        assertThat(components).containsSubsequence(ResultField.names());
    }

    @Test
    void theCsvExportKeepsItsColumns() {
        assertThat(AuditFormats.CSV_HEADER)
                .isEqualTo(
                        "decision_id,decided_at,customer_id,outcome,approval_route,"
                                + "risk_score,risk_grade,credit_limit,available_credit,term_days,currency,reasons,order_amount,"
                                + "requested_term_days,ruleset_version,client,idempotency_key,seq,hash,previous_hash,canonical\r\n");
    }
}
