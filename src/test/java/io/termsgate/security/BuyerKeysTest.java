package io.termsgate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.termsgate.TermsgateApplication;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A buyer's key is bound to exactly one customer, and only a buyer's key is bound to one. */
class BuyerKeysTest {

    @Test
    void aBuyerKeyNeedsItsCustomerAndNothingElseMayHaveOne() {
        assertThatThrownBy(() -> keys(new SecurityProperties.ApiKey("shop-buyer", "s3cret-buyer", Set.of(Role.BUYER))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("API key shop-buyer has the role BUYER but no customer id");
        assertThatThrownBy(() -> keys(new SecurityProperties.ApiKey(
                        "checkout-web", "s3cret-checkout", Set.of(Role.CHECKOUT), "EX-01")))
                .hasMessageContaining("API key checkout-web has a customer id but not the role BUYER");
        assertThatThrownBy(() -> keys(new SecurityProperties.ApiKey(
                        "shop-buyer", "s3cret-buyer", Set.of(Role.BUYER, Role.AUDITOR), "EX-01")))
                .hasMessageContaining("BUYER is held alone");
        assertThat(keys(new SecurityProperties.ApiKey("shop-buyer", "s3cret-buyer", Set.of(Role.BUYER), "EX-01"))
                        .find("s3cret-buyer")
                        .orElseThrow()
                        .customerId())
                .isEqualTo("EX-01");
    }

    @Test
    void theServiceRefusesToStartWithABuyerKeyWithoutItsCustomer() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(TermsgateApplication.class)
                        .profiles("test")
                        .properties("PORT=0", "termsgate.ruleset.dir=.") // application.yml: server.port=${PORT:8080}
                        .run(
                                "--termsgate.security.api-keys[0].name=shop-buyer",
                                "--termsgate.security.api-keys[0].key=s3cret-buyer",
                                "--termsgate.security.api-keys[0].roles=BUYER")
                        .close())
                .rootCause()
                .hasMessageContaining("API key shop-buyer has the role BUYER but no customer id");
    }

    @Test
    void onlyABuyerActsForACustomer() {
        var buyer = UsernamePasswordAuthenticationToken.authenticated(
                "demo-buyer",
                null,
                List.of(new SimpleGrantedAuthority(Role.BUYER.authority()), BuyerAccess.customer("EX-01")));
        assertThat(BuyerAccess.customerOf(buyer)).contains("EX-01");
        // a customer authority without the role binds nobody
        var odd = UsernamePasswordAuthenticationToken.authenticated(
                "odd",
                null,
                List.of(new SimpleGrantedAuthority(Role.AUDITOR.authority()), BuyerAccess.customer("EX-01")));
        assertThat(BuyerAccess.customerOf(odd)).isEmpty();
        assertThat(BuyerAccess.customerOf(null)).isEmpty();
    }

    private static ApiKeys keys(SecurityProperties.ApiKey... keys) {
        return new ApiKeys(new SecurityProperties(List.of(keys)), new MockEnvironment());
    }
}
