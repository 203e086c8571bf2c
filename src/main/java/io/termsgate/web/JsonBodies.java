package io.termsgate.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Parses a JSON request body into a tree with the service's parser settings, and turns every way the bytes can be
 * wrong into one 400 problem. Jackson lets some of them escape as plain runtime exceptions (a number with an
 * exponent too large to represent: found by fuzzing), which a message converter would let become a 500.
 */
@Component
public class JsonBodies {

    private final ObjectMapper json;

    public JsonBodies(ObjectMapper json) {
        this.json = json;
    }

    public JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw malformed("The request body is empty; a JSON object is required");
        }
        try {
            JsonNode tree = json.readTree(body);
            if (tree == null || tree.isMissingNode()) {
                throw malformed("The request body is empty; a JSON object is required");
            }
            return tree;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String reason = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            reason = reason.length() > 200 ? reason.substring(0, 200) + "…" : reason;
            throw malformed("The request body is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
                    + (reason.isEmpty() ? "" : ": " + reason.replaceAll("\\p{Cntrl}", "?")));
        } catch (IOException | RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            reason = reason.length() > 200 ? reason.substring(0, 200) + "…" : reason;
            throw malformed("The request body is not valid JSON: " + reason.replaceAll("\\p{Cntrl}", "?"));
        }
    }

    private static ApiProblemException malformed(String detail) {
        return new ApiProblemException(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_JSON, "Malformed JSON", detail);
    }
}
