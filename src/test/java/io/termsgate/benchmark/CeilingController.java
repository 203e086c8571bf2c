package io.termsgate.benchmark;

import io.termsgate.creditapplication.DecisionRequestReader;
import io.termsgate.web.JsonBodies;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Benchmark only: the ceiling. Same security filter, same JSON parsing and validation as deciding, then a fixed
 * answer of a real decision's size: what the HTTP stack alone can do on this machine.
 */
@RestController
@Profile("benchmark")
class CeilingController {

    private final String answer;

    private final JsonBodies jsonBodies;

    CeilingController(JsonBodies jsonBodies) {
        this.jsonBodies = jsonBodies;
        try (InputStream in = getClass().getResourceAsStream("/benchmark/ceiling-response.json")) {
            answer = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @PostMapping(
            path = "/bench/ceiling",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> ceiling(@RequestBody(required = false) byte[] body) {
        DecisionRequestReader.read(jsonBodies.parse(body));
        return ResponseEntity.status(201)
                .contentType(MediaType.APPLICATION_JSON)
                .body(answer);
    }
}
