package io.termsgate.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.ui.Model;

/** The refusal page's words, for the console and the portal alike: an expired form, or a page not allowed. */
final class Refusals {

    private Refusals() {}

    /** Sets 403 and the page's title and detail; {@code notAllowed} says who the page is for. */
    static void denied(HttpServletRequest request, HttpServletResponse response, Model model, String notAllowed) {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        model.addAttribute("status", HttpServletResponse.SC_FORBIDDEN);
        if (request.getAttribute(WebAttributes.ACCESS_DENIED_403) instanceof CsrfException) {
            model.addAttribute("title", "Form expired");
            model.addAttribute(
                    "detail",
                    "The form was sent without its security token, or the session it belonged to "
                            + "has ended. Go back, reload the page and try again.");
        } else {
            model.addAttribute("title", "Not allowed");
            model.addAttribute("detail", notAllowed);
        }
    }
}
