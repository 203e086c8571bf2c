package io.termsgate.console;

import io.termsgate.security.BuyerAccess;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;

/**
 * Where a person lands after signing in, on either sign-in page: the page they were sent away from, or else their
 * home: the portal for a buyer, the referral queue of their own level for those who decide referred orders, and the
 * console's overview for everyone else.
 */
final class HomeAfterSignIn extends SavedRequestAwareAuthenticationSuccessHandler {

    @Override
    protected String determineTargetUrl(
            HttpServletRequest request, HttpServletResponse response, Authentication authentication) {
        if (BuyerAccess.customerOf(authentication).isPresent()) {
            return PortalSecurityConfig.HOME;
        }
        return Person.of(authentication).isReferralDecider() ? ReferralPages.REFERRALS : ConsoleSecurityConfig.HOME;
    }
}
