package org.intercomhub;

import org.springframework.beans.BeanUtils;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

import java.util.List;
import java.util.Locale;

/**
 * Gives a test class marked {@link OnDatabase} its {@link ItSuite} (registered in META-INF/spring.factories): the
 * suite's settings come first among the context's properties and the suite is a bean, so no suite copies set-up.
 */
public class ItSuiteContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
                                                     List<ContextConfigurationAttributes> configAttributes) {
        OnDatabase database = AnnotatedElementUtils.findMergedAnnotation(testClass, OnDatabase.class);
        if (database == null) {
            return null;
        }
        SuiteSetup setup = AnnotatedElementUtils.findMergedAnnotation(testClass, SuiteSetup.class);
        if (setup == null) {
            throw new IllegalStateException(testClass.getName() + " is @OnDatabase but its contract has no @SuiteSetup");
        }
        return new SuiteCustomizer(testClass, database.value(), setup.value());
    }

    /** One per test class, so that each suite has its own context, sandbox and schemas. */
    record SuiteCustomizer(Class<?> testClass, ItDatabase database, Class<? extends ItSuite.Setup> setup)
            implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            String prefix = "it_" + testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
            ItSuite suite = ItSuite.start(database, BeanUtils.instantiateClass(setup), prefix);
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("it-suite", suite.properties()));
            context.getBeanFactory().registerSingleton("itSuite", suite);
            context.addApplicationListener(event -> {
                if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
                    suite.close();
                }
            });
        }
    }
}
