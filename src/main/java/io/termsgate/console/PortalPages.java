package io.termsgate.console;

import io.termsgate.creditline.CreditLineViews;
import io.termsgate.security.BuyerAccess;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The buyers' portal: a buyer signs in and sees its own credit line (limit, available, held, balance, open holds) and
 * its recent orders' decisions. The customer is the one the person is bound to, never one named in the request.
 */
@Controller
class PortalPages {

    /** The recent orders the page shows. */
    static final int RECENT = 20;

    private final CreditLineViews views;
    private final ConsoleUsers users;

    PortalPages(CreditLineViews views, ConsoleUsers users) {
        this.views = views;
        this.users = users;
    }

    @GetMapping(PortalSecurityConfig.LOGIN)
    String login(Model model) {
        model.addAttribute("demoBuyers", users.demoNames(true));
        return "portal/login";
    }

    @GetMapping(PortalSecurityConfig.HOME)
    String line(Authentication who, HttpServletRequest request, HttpServletResponse response, Model model) {
        // the chain lets only buyers in, and a buyer is bound to a customer (checked at start-up): never empty
        String customerId = BuyerAccess.customerOf(who).orElse(null);
        if (customerId == null) {
            return denied(request, response, model);
        }
        model.addAttribute("customerId", customerId);
        model.addAttribute("line", views.line(customerId).orElse(null));
        model.addAttribute("orders", views.orders(customerId, 0, RECENT));
        return "portal/line";
    }

    /** Where Spring Security forwards a refusal (not a buyer, or a form without its CSRF token). */
    @RequestMapping(PortalSecurityConfig.DENIED)
    String denied(HttpServletRequest request, HttpServletResponse response, Model model) {
        Refusals.denied(request, response, model, "This page is for buyers signed in with their own account.");
        return "portal/error";
    }
}
