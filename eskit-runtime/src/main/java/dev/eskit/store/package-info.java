/** Event store implementations that ship with the runtime: the in-memory store. */
package dev.eskit.store;
