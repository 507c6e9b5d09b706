package org.intercomhub.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The admin gate ({@link AdminAccessFilter}) in front of every path, from the {@code admin:} settings. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdminProperties.class)
public class AdminConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AdminConfiguration.class);

    @Bean
    public AdminTokens adminTokens(AdminProperties admin) {
        AdminTokens tokens = admin.toTokens();
        if (tokens.none()) {
            log.warn("No HUB_ADMIN_TOKENS set: the admin API (/sync/*, /dead-letters*, actuator beyond the health "
                    + "probes) answers loopback callers only; calls forwarded by a proxy (Forwarded, X-Forwarded-For, "
                    + "X-Real-IP) are refused. Set HUB_ADMIN_TOKENS to call it from anywhere else.");
        } else {
            log.info("Admin API: {} admin token(s) accepted", tokens.count());
        }
        return tokens;
    }

    @Bean
    public FilterRegistrationBean<AdminAccessFilter> adminAccessFilter(AdminTokens tokens, ObjectMapper json) {
        FilterRegistrationBean<AdminAccessFilter> registration =
                new FilterRegistrationBean<>(new AdminAccessFilter(tokens, json));
        registration.setName("adminAccess");
        registration.addUrlPatterns("/*");
        // before anything reads the body or runs a handler (only the character-encoding filter goes first)
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }
}
