package io.termsgate.web;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The service's shared HTTP setup in a slice test: the JSON input limits, the body parser and the body size cap.
 * ({@link ProblemResponses} and {@link BodySizeLimitFilter} are picked up by the slice itself.)
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties(BodySizeLimitFilter.Limits.class)
@Import({JsonConfig.class, JsonBodies.class})
public class WebSlice {}
