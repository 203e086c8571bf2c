package io.termsgate.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The published API description ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}): the API-key
 * security scheme, and the RFC 9457 problem responses every operation can give, added to each operation so that
 * clients see them and tests can check real answers against them.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    static final String API_KEY = "apiKey";
    static final String PROBLEM = "Problem";

    @Bean
    OpenAPI termsgateOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("termsgate API")
                        .version("v1")
                        .description("Credit decisions for B2B net terms: checkout decides, analysts change policy, "
                                + "auditors look back. Every call needs an API key in X-API-Key; each operation says "
                                + "which role it needs. Errors are RFC 9457 problems (application/problem+json).")
                        .license(new License().name("Apache-2.0").identifier("Apache-2.0")))
                .components(new Components()
                        .addSecuritySchemes(
                                API_KEY,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.APIKEY)
                                        .in(SecurityScheme.In.HEADER)
                                        .name("X-API-Key")
                                        .description(
                                                "A key configured for the service; its roles decide what it may call"))
                        .addSchemas(PROBLEM, problemSchema()))
                .addSecurityItem(new SecurityRequirement().addList(API_KEY));
    }

    @Bean
    OpenApiCustomizer standardProblemResponses() {
        return openApi -> openApi.getPaths()
                .forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
                    ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
                    add(responses, "401", "No API key, or an unknown one");
                    add(responses, "403", "The API key's roles do not allow this");
                    add(responses, "500", "A fault of the service (logged); nothing was done");
                    add(responses, "503", "The database is unreachable; retry");
                    if (path.contains("{")) {
                        add(responses, "404", "No such resource");
                    }
                    if (path.contains("{")
                            || (op.getParameters() != null
                                    && !op.getParameters().isEmpty())
                            || method == PathItem.HttpMethod.POST) {
                        add(responses, "400", "The request is invalid; errors names every bad field or parameter");
                    }
                    if (method == PathItem.HttpMethod.POST) {
                        add(responses, "413", "The request body is too large");
                        add(responses, "415", "The Content-Type is not accepted here");
                    }
                    add(responses, "405", "The method is not allowed here");
                    add(responses, "406", "The Accept header asks for a type this resource does not produce");
                    op.setResponses(responses);
                }));
    }

    private static void add(ApiResponses responses, String status, String description) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(status, problem(description));
        }
    }

    static ApiResponse problem(String description) {
        return new ApiResponse()
                .description(description)
                .content(new Content()
                        .addMediaType(
                                "application/problem+json",
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema problemSchema() {
        Schema fieldError =
                new ObjectSchema().addProperty("field", new StringSchema()).addProperty("message", new StringSchema());
        Schema rulesetProblem = new ObjectSchema()
                .addProperty("severity", new StringSchema()._enum(java.util.List.of("ERROR", "WARNING", "INFO")))
                .addProperty("file", new StringSchema())
                .addProperty("location", new StringSchema())
                .addProperty("message", new StringSchema());
        return new ObjectSchema()
                .description("RFC 9457 problem details")
                .addProperty(
                        "type",
                        new StringSchema()
                                .description("stable URI of the kind of problem, e.g. /problems/invalid-request"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema())
                .addProperty("errors", new ArraySchema().items(fieldError).description("every bad input field"))
                .addProperty(
                        "problems",
                        new ArraySchema().items(rulesetProblem).description("every problem of a rejected ruleset"))
                .addProperty("originalDecisionId", new StringSchema().format("uuid"))
                .required(java.util.List.of("type", "title", "status"))
                .additionalProperties(Boolean.TRUE);
    }
}
