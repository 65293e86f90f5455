/** The schema lock file: parsing, rendering and comparing recorded event shapes. Internal. */
package dev.eskit.processor.lock;
