package io.termsgate.security;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/** The API's real security in a slice test: the key filter, the table of roles, the 401 and 403 problems. */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
@Import({SecurityConfig.class, ProblemWriter.class})
public class SecuritySlice {

    /** Named as the service names it: the console's people are checked after it ({@code @DependsOn("apiKeys")}). */
    @Bean
    ApiKeys apiKeys(SecurityProperties properties, Environment environment) {
        return new ApiKeys(properties, environment);
    }
}
