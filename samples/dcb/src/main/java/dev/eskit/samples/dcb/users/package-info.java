/**
 * User names that are unique across all users and free again once their user is deleted. No user aggregate can
 * guard a rule across users; the registration's boundary is the events tagged with the name.
 */
package dev.eskit.samples.dcb.users;
