package io.termsgate.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.validation.annotation.Validated;

/**
 * The API keys the service accepts. Out of the box these are the demo keys of {@code application.yml}; in production
 * they come from the environment, e.g. {@code TERMSGATE_SECURITY_API_KEYS_0_NAME=checkout-web},
 * {@code TERMSGATE_SECURITY_API_KEYS_0_KEY=<secret>}, {@code TERMSGATE_SECURITY_API_KEYS_0_ROLES=CHECKOUT} (a list
 * from the environment replaces the demo list as a whole).
 */
@Validated
@ConfigurationProperties("termsgate.security")
record SecurityProperties(@Valid List<ApiKey> apiKeys) {

    public SecurityProperties {
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
    }

    /**
     * A key's name is who acted (it is recorded with what it did); the key itself is a secret.
     *
     * @param customerId the one buyer a BUYER key acts for ({@code TERMSGATE_SECURITY_API_KEYS_<n>_CUSTOMER_ID});
     *     required with BUYER and refused without it (see {@link BuyerAccess#configurationProblem})
     * @param person the person who holds the key ({@code _PERSON}, the console name of that person): allowed on any
     *     key, required with APPROVER, CREDIT_ANALYST, CREDIT_MANAGER or CFO, so four eyes count people, not keys
     */
    public record ApiKey(
            @NotBlank String name,
            @NotBlank @Size(min = 8) String key,
            @NotEmpty Set<Role> roles,
            @Pattern(regexp = BuyerAccess.CUSTOMER_ID) String customerId,
            @Pattern(regexp = "[A-Za-z0-9._@-]{1,100}") String person) {

        @ConstructorBinding
        public ApiKey {}

        /** A key of the service's own roles, bound to no buyer. */
        public ApiKey(String name, String key, Set<Role> roles) {
            this(name, key, roles, null, null);
        }

        /** A key bound to a buyer (or to none). */
        public ApiKey(String name, String key, Set<Role> roles, String customerId) {
            this(name, key, roles, customerId, null);
        }

        @Override
        public String toString() {
            return "ApiKey[" + name + ", roles=" + roles + (customerId == null ? "" : ", customerId=" + customerId)
                    + (person == null ? "" : ", person=" + person) + "]";
        }
    }
}
