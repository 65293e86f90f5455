package dev.eskit.samples.dcb.users;

/** The events of the user domain. */
public sealed interface UserEvent permits UserRegistered, UserDeleted {
}
