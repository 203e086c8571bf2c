package io.termsgate.referral.webhook;

import io.swagger.v3.oas.annotations.Operation;
import io.termsgate.web.FieldError;
import io.termsgate.web.InvalidRequestException;
import io.termsgate.web.QueryParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** What operators see of the webhook to checkout: every delivery, its attempts and its last error. */
@RestController
class ReferralWebhookController {

    static final String PATH = "/api/v1/referrals/webhooks";
    static final int MAX_PAGE_SIZE = 100;

    private final WebhookDeliveries deliveries;

    ReferralWebhookController(WebhookDeliveries deliveries) {
        this.deliveries = deliveries;
    }

    @Operation(
            summary = "Webhook deliveries to checkout, newest first (OPERATOR)",
            description = "status: PENDING, DELIVERED or FAILED (all when absent); page from 0, size 1 to "
                    + MAX_PAGE_SIZE + " (default 20). Never the body or the secret.")
    @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    DeliveryView.Page deliveries(
            @RequestParam Optional<String> status,
            @RequestParam Optional<String> page,
            @RequestParam Optional<String> size) {
        List<FieldError> errors = new ArrayList<>();
        WebhookDeliveries.Status wanted = null;
        if (status.isPresent()) {
            try {
                wanted = WebhookDeliveries.Status.valueOf(status.get());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("status", "must be PENDING, DELIVERED or FAILED"));
            }
        }
        int pageNumber = QueryParameters.integer("page", page, 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE, errors);
        int pageSize = QueryParameters.integer("size", size, 20, 1, MAX_PAGE_SIZE, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Invalid webhook deliveries request", errors);
        }
        return new DeliveryView.Page(
                deliveries.page(wanted, pageNumber, pageSize), pageNumber, pageSize, deliveries.count(wanted));
    }
}
