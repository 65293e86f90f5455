/**
 * Automations: subscriptions that turn events into commands sent through the command bus, with correlation and
 * causation ids set so that every chain of messages can be traced.
 */
package dev.eskit.automation;
