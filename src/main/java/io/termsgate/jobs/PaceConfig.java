package io.termsgate.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The pace of background work and the foreground calls it gives way to. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JobProperties.class)
class PaceConfig {

    @Bean
    ForegroundTraffic foregroundTraffic(JobProperties properties) {
        return new ForegroundTraffic(properties.foregroundPaths());
    }

    @Bean
    FilterRegistrationBean<ForegroundTraffic> foregroundTrafficFilter(ForegroundTraffic traffic) {
        FilterRegistrationBean<ForegroundTraffic> registration = new FilterRegistrationBean<>(traffic);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE); // the whole call counts, authentication included
        return registration;
    }

    @Bean
    BackgroundPace backgroundPace(JobProperties properties, ForegroundTraffic traffic, MeterRegistry meters) {
        return new BackgroundPace(properties, traffic, meters);
    }
}
