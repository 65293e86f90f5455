/**
 * Internal helpers shared by eskit's modules. Unsupported: anything here may change or disappear in any release.
 */
package dev.eskit.internal;
