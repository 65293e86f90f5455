/** Reading the global log durably: checkpoints and subscriptions. */
package dev.eskit.subscription;
