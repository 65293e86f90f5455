/** The Dynamic Consistency Boundary conformance suite and the tagged events it appends. */
package dev.eskit.testkit.dcb;
