package io.termsgate.web;

import com.fasterxml.jackson.core.StreamReadConstraints;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tight limits on what JSON input may look like. A decision request is two small objects; anything deeper, longer or
 * with monstrous numbers is hostile or broken and is refused while parsing, before it costs memory or CPU.
 */
@Configuration(proxyBeanMethods = false)
class JsonConfig {

    static final int MAX_NESTING_DEPTH = 32;
    static final int MAX_STRING_LENGTH = 1_000_000;

    @Bean
    Jackson2ObjectMapperBuilderCustomizer jsonInputLimits() {
        return builder -> builder.postConfigurer(mapper -> mapper.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(JsonBodies.MAX_NUMBER_LENGTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .build()));
    }
}
