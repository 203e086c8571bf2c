package io.termsgate.security;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/** The API's real security in a slice test: the key filter, the table of roles, the 401 and 403 problems. */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
@Import({SecurityConfig.class, ApiKeys.class, ProblemWriter.class})
public class SecuritySlice {}
