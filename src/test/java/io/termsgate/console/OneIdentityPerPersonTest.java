package io.termsgate.console;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.termsgate.TermsgateApplication;
import io.termsgate.security.ApiKeyHolders;
import io.termsgate.security.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.mock.env.MockEnvironment;

/** API key names and console people's names are one namespace; a key's person is a console person. */
class OneIdentityPerPersonTest {

    @Test
    void keysNamedForNobodyAndHeldByConsolePeopleStart() {
        assertThatCode(() -> check(List.of(holder("checkout-web", null), holder("jane-laptop", "jane")), "jane", "bob"))
                .doesNotThrowAnyException();
    }

    @Test
    void aKeyNamedLikeAPersonRefusesToStart() {
        assertThatThrownBy(() -> check(List.of(holder("jane", null)), "jane"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("One identity per person")
                .hasMessageContaining("API key jane is named like the console person jane");
    }

    @Test
    void aKeysPersonMustBeAConsolePersonWhenThereAreAny() {
        assertThatThrownBy(() -> check(List.of(holder("cfo-key", "jane.cfo")), "bob"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("API key cfo-key names the person jane.cfo, who is no console person");
        assertThatCode(() -> check(List.of(holder("cfo-key", "jane.cfo"))))
                .as("a service without console people checks a key's person against the keys only")
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> check(List.of(holder("cfo-key", "checkout-web"), holder("checkout-web", null))))
                .hasMessageContaining("API key cfo-key names the person checkout-web, which is the name of an API key");
    }

    @Test
    void theServiceRefusesToStartWithAKeyNamedLikeAPerson() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(TermsgateApplication.class)
                        .profiles("test")
                        .properties("PORT=0", "termsgate.ruleset.dir=.")
                        .run(
                                "--termsgate.security.api-keys[0].name=demo-analyst-person",
                                "--termsgate.security.api-keys[0].key=s3cret-from-the-vault",
                                "--termsgate.security.api-keys[0].roles=ANALYST")
                        .close())
                .rootCause()
                .hasMessageContaining("API key demo-analyst-person is named like the console person");
    }

    private static ApiKeyHolders.Holder holder(String key, String person) {
        return new ApiKeyHolders.Holder(key, person);
    }

    /** A loop, not a lambda: see ConsoleProperties.User for why no test names it in a signature. */
    private static void check(List<ApiKeyHolders.Holder> keys, String... people) {
        List<ConsoleProperties.User> users = new ArrayList<>();
        for (String name : people) {
            users.add(new ConsoleProperties.User(name, ConsoleUsersTest.ALICE_HASH, Set.of(Role.ANALYST)));
        }
        new OneIdentityPerPerson(() -> keys, new ConsoleUsers(new ConsoleProperties(users), new MockEnvironment()));
    }
}
