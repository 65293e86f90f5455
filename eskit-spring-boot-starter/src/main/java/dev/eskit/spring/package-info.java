/**
 * Spring Boot auto-configuration for eskit: {@link dev.eskit.spring.EskitAutoConfiguration} wires the codec from the
 * generated registries, the store on Boot's {@code DataSource}, the command bus with every generated route and the
 * subscriptions; {@link dev.eskit.spring.EskitProperties} lists the {@code eskit.*} settings. See
 * {@code docs/spring-boot.md}.
 */
package dev.eskit.spring;
