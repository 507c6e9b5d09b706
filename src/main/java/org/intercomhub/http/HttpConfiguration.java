package org.intercomhub.http;

import org.springframework.context.annotation.Configuration;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Spring MVC as the hub uses it: it only carries Camel's platform-http routes (and the actuator), which bind no
 * request objects, so MVC gets a validator that validates nothing instead of the Bean Validation one. With a Bean
 * Validation validator Spring MVC 6.2 scans the handler's class and method annotations for validation groups on every
 * request: 9 % of an ingest request's CPU (bench/README.md, 2026-12-02 tracking-ingest). The settings' constraints
 * ({@code @Validated} properties) are checked by Spring Boot's binder, which does not use this validator.
 */
@Configuration
public class HttpConfiguration implements WebMvcConfigurer {

    @Override
    public Validator getValidator() {
        return NoRequestValidation.INSTANCE;
    }

    /** Validates nothing: no handler of this app binds a request to an object. */
    private enum NoRequestValidation implements Validator {
        INSTANCE;

        @Override
        public boolean supports(Class<?> type) {
            return false;
        }

        @Override
        public void validate(Object target, Errors errors) {
            // nothing to validate
        }
    }
}
