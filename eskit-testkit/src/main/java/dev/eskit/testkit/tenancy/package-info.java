/** The tenancy conformance suite: tenants of shared stores cannot reach each other's data. */
package dev.eskit.testkit.tenancy;
