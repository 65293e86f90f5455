package dev.eskit.codectests;

/** An enum. */
public enum Color {
    RED, GREEN, BLUE
}
