package io.termsgate.jobs;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The pace of background work and the foreground calls it gives way to. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JobProperties.class)
class PaceConfig {

    @Bean
    ForegroundTraffic foregroundTraffic(JobProperties properties, MeterRegistry meters) {
        ForegroundTraffic traffic = new ForegroundTraffic(properties.foregroundCalls());
        FunctionCounter.builder("termsgate.jobs.foreground.calls", traffic, ForegroundTraffic::calls)
                .description(
                        "Calls someone waits on (termsgate.jobs.foreground-calls) that background work gave way to")
                .register(meters);
        return traffic;
    }

    @Bean
    FilterRegistrationBean<ForegroundTraffic> foregroundTrafficFilter(
            ForegroundTraffic traffic, ObjectProvider<SecurityProperties> security) {
        FilterRegistrationBean<ForegroundTraffic> registration = new FilterRegistrationBean<>(traffic);
        // after Spring Security's chain (wherever spring.security.filter.order puts it): a call refused there (no key,
        // wrong role) never reaches it, so nobody slows the background work down without a key that may make the call
        int securityOrder =
                security.getIfAvailable(SecurityProperties::new).getFilter().getOrder();
        registration.setOrder(securityOrder + 1);
        return registration;
    }

    @Bean
    BackgroundPace backgroundPace(JobProperties properties, ForegroundTraffic traffic, MeterRegistry meters) {
        return new BackgroundPace(properties, traffic, meters);
    }
}
