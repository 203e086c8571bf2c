package io.termsgate.console;

import io.termsgate.security.BuyerAccess;
import io.termsgate.security.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.validation.annotation.Validated;

/**
 * The people who may sign in to the web console. Out of the box these are the demo people of
 * {@code application.yml}; in production they come from the environment, e.g.
 * {@code TERMSGATE_CONSOLE_USERS_0_NAME=alice}, {@code TERMSGATE_CONSOLE_USERS_0_PASSWORD_HASH=$2y$12$...},
 * {@code TERMSGATE_CONSOLE_USERS_0_ROLES=ANALYST} (a list from the environment replaces the demo list as a whole).
 */
@Validated
@ConfigurationProperties("termsgate.console")
record ConsoleProperties(@Valid List<User> users) {

    public ConsoleProperties {
        users = users == null ? List.of() : List.copyOf(users);
    }

    /**
     * A person: the name everything they do is recorded under, a bcrypt hash of their password (never the password
     * itself), and their roles (ANALYST, RULE_AUTHOR, APPROVER, AUDITOR; or BUYER alone, with the customer id the
     * buyer is bound to: such a person signs in to the buyers' portal, {@code /portal}).
     *
     * <p>Bound through its constructor's compiled parameter names. A Java agent that retransforms this class after
     * it was loaded (Jazzer's, which the fuzz tests attach) drops those names and binding then leaves every field
     * unbound; so no test names this type in a method signature (a lambda's included), which would load it while
     * JUnit discovers the tests, before the agent attaches.
     */
    public record User(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9._@-]{1,100}")
            String name,

            @NotBlank String passwordHash,
            @NotEmpty Set<Role> roles,
            @Pattern(regexp = BuyerAccess.CUSTOMER_ID) String customerId) {

        @ConstructorBinding
        public User {}

        /** A person of the business, bound to no buyer. */
        public User(String name, String passwordHash, Set<Role> roles) {
            this(name, passwordHash, roles, null);
        }

        @Override
        public String toString() {
            return "User[" + name + ", roles=" + roles + (customerId == null ? "" : ", customerId=" + customerId) + "]";
        }
    }
}
