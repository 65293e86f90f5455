/** The quick-start sample: a cart decider from lambdas behind a command bus, on the in-memory store. */
package dev.eskit.samples.quickstart;
