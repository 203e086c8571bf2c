package io.termsgate.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.termsgate.TermsgateApplication;
import io.termsgate.security.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * People come from configuration as bcrypt hashes with people's roles; demo people never serve production.
 *
 * <p>The helpers take a {@link Someone}, never a {@code ConsoleProperties.User}: see that record for why no test
 * names it in a method signature.
 */
class ConsoleUsersTest {

    /** A person as a test writes them down. */
    record Someone(String name, String hash, Set<Role> roles, String customerId) {}

    /** bcrypt of "s3cret-alice" */
    static final String ALICE_HASH = "$2a$10$IpFm6nKnZPaniV6pxDdt0e38ScVQf4tsP7UiuRwkfVDcdn0c1rIQW";

    @Test
    void aPasswordIsCheckedAgainstItsBcryptHashWithOrWithoutThePrefix() {
        String hash = new BCryptPasswordEncoder(4).encode("s3cret");
        ConsoleUsers users = users(
                new MockEnvironment(),
                user("alice", hash, Role.ANALYST),
                user("bob", "{bcrypt}" + hash, Role.APPROVER, Role.AUDITOR));
        assertThat(users.passwordEncoder().matches("s3cret", users.find("alice").getPassword()))
                .isTrue();
        assertThat(users.passwordEncoder().matches("s3cret", users.find("bob").getPassword()))
                .isTrue();
        assertThat(users.passwordEncoder().matches("guess", users.find("alice").getPassword()))
                .isFalse();
        assertThat(users.find("bob").getAuthorities())
                .extracting(Object::toString)
                .containsExactlyInAnyOrder("ROLE_APPROVER", "ROLE_AUDITOR");
        assertThatThrownBy(() -> users.find("carol")).isInstanceOf(UsernameNotFoundException.class);
    }

    @Test
    void eachLookUpIsAFreshCopySoErasingCredentialsAfterSignInCannotLockThePersonOut() {
        ConsoleUsers users = users(new MockEnvironment(), user("alice", ALICE_HASH, Role.ANALYST));
        assertThat(users.passwordEncoder()
                        .matches("s3cret-alice", users.find("alice").getPassword()))
                .isTrue();
        ((CredentialsContainer) users.find("alice")).eraseCredentials();
        assertThat(users.find("alice").getPassword()).isEqualTo(ALICE_HASH);
    }

    @Test
    void aPasswordWrittenIntoTheConfigurationInsteadOfItsHashIsRefused() {
        for (String notAHash : List.of("s3cret-alice", "{noop}s3cret-alice", "{sha256}abcdef", "$2a$10$short")) {
            assertThatThrownBy(() -> users(new MockEnvironment(), user("alice", notAHash, Role.ANALYST)))
                    .as(notAHash)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not a bcrypt hash")
                    .hasMessageNotContaining(notAHash);
        }
    }

    @Test
    void machinesRolesAreNotForPeople() {
        assertThatThrownBy(() -> users(new MockEnvironment(), user("alice", ALICE_HASH, Role.CHECKOUT)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("API keys");
        assertThatThrownBy(() -> users(
                        new MockEnvironment(),
                        user("alice", ALICE_HASH, Role.ANALYST),
                        user("alice", ALICE_HASH, Role.AUDITOR)))
                .hasMessageContaining("Two console users are named alice");
    }

    @Test
    void aBuyerIsBoundToItsCustomerAndHoldsNoOtherRole() {
        ConsoleUsers users = users(
                new MockEnvironment(),
                new Someone("demo-buyer-person", ALICE_HASH, Set.of(Role.BUYER), "EX-01"),
                user("demo-analyst-person", ALICE_HASH, Role.ANALYST));
        assertThat(users.find("demo-buyer-person").getAuthorities())
                .extracting(Object::toString)
                .containsExactlyInAnyOrder("ROLE_BUYER", "CUSTOMER:EX-01");
        assertThat(users.demoNames(true)).containsExactly("demo-buyer-person");
        assertThat(users.demoNames(false)).containsExactly("demo-analyst-person");

        assertThatThrownBy(() -> users(new MockEnvironment(), user("bob", ALICE_HASH, Role.BUYER)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Console user bob has the role BUYER but no customer id");
        assertThatThrownBy(() ->
                        users(new MockEnvironment(), new Someone("alice", ALICE_HASH, Set.of(Role.AUDITOR), "EX-01")))
                .hasMessageContaining("Console user alice has a customer id but not the role BUYER");
        assertThatThrownBy(() -> users(
                        new MockEnvironment(),
                        new Someone("bob", ALICE_HASH, Set.of(Role.BUYER, Role.AUDITOR), "EX-01")))
                .hasMessageContaining("BUYER is held alone");
    }

    @Test
    void demoPeopleServeALaptopButNeverTheProdProfile() {
        MockEnvironment laptop = new MockEnvironment();
        assertThat(users(laptop, user("demo-analyst-person", ALICE_HASH, Role.ANALYST))
                        .demoNames())
                .containsExactly("demo-analyst-person");
        MockEnvironment prod = new MockEnvironment();
        prod.setActiveProfiles("prod");
        assertThatThrownBy(() -> users(prod, user("demo-analyst-person", ALICE_HASH, Role.ANALYST)))
                .hasMessageContaining("prod profile")
                .hasMessageContaining("demo-analyst-person");
        assertThat(users(prod, user("alice", ALICE_HASH, Role.ANALYST)).demoNames())
                .isEmpty();
    }

    @Test
    void theServiceRefusesToStartUnderProdWithTheDemoPeopleOfApplicationYml() {
        // real API keys, so that it is the demo people that stop it
        assertThatThrownBy(() -> new SpringApplicationBuilder(TermsgateApplication.class)
                        .profiles("prod", "test")
                        .properties(
                                "PORT=0",
                                "termsgate.ruleset.dir=.",
                                "termsgate.audit.signing-key=" + io.termsgate.support.TestSigningKey.file(),
                                "termsgate.privacy.master-key="
                                        + io.termsgate.support.TestSigningKey
                                                .privacyMasterKey()) // application.yml: server.port=${PORT:8080}
                        .run(
                                "--termsgate.security.api-keys[0].name=checkout-web",
                                "--termsgate.security.api-keys[0].key=s3cret-from-the-vault",
                                "--termsgate.security.api-keys[0].roles=CHECKOUT")
                        .close())
                .rootCause()
                .hasMessageContaining("demo console users")
                .hasMessageContaining("demo-analyst-person");
    }

    @Test
    void theProdProfileStartsWithRealPeopleFromTheEnvironment() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TermsgateApplication.class)
                .profiles("prod", "test")
                .properties(
                        "PORT=0",
                        "termsgate.ruleset.dir=.",
                        "termsgate.audit.signing-key=" + io.termsgate.support.TestSigningKey.file(),
                        "termsgate.privacy.master-key="
                                + io.termsgate.support.TestSigningKey
                                        .privacyMasterKey()) // application.yml: server.port=${PORT:8080}
                // as from the environment: a list set there replaces the demo list of application.yml as a whole
                .run(
                        "--termsgate.security.api-keys[0].name=checkout-web",
                        "--termsgate.security.api-keys[0].key=s3cret-from-the-vault",
                        "--termsgate.security.api-keys[0].roles=CHECKOUT",
                        "--termsgate.console.users[0].name=alice",
                        "--termsgate.console.users[0].password-hash=" + ALICE_HASH,
                        "--termsgate.console.users[0].roles=ANALYST,APPROVER")) {
            ConsoleUsers users = context.getBean(ConsoleUsers.class);
            assertThat(users.find("alice").getAuthorities()).hasSize(2);
            assertThat(users.demoNames()).isEmpty();
            assertThatThrownBy(() -> users.find("demo-analyst-person")).isInstanceOf(UsernameNotFoundException.class);
        }
    }

    private static Someone user(String name, String hash, Role... roles) {
        return new Someone(name, hash, Set.of(roles), null);
    }

    /** A loop, not a lambda: a lambda returning a ConsoleProperties.User would name it in a (synthetic) signature. */
    private static ConsoleUsers users(MockEnvironment environment, Someone... people) {
        List<ConsoleProperties.User> users = new ArrayList<>();
        for (Someone person : people) {
            users.add(new ConsoleProperties.User(person.name(), person.hash(), person.roles(), person.customerId()));
        }
        return new ConsoleUsers(new ConsoleProperties(users), environment);
    }
}
