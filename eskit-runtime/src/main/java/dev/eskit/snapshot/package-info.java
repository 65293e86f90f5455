/** Snapshots: a stream's folded state at a version, so long streams load fast. */
package dev.eskit.snapshot;
