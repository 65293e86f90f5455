/** The java.time example of docs/concepts.md. */
package dev.eskit.docs.contracts;
