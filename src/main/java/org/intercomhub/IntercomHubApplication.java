package org.intercomhub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class IntercomHubApplication {
    public static void main(String[] args) {
        SpringApplication.run(IntercomHubApplication.class, args);
    }
}
