/** Internals of eskit-jdbi: unsupported, may change in any release. */
package dev.eskit.jdbi.internal;
