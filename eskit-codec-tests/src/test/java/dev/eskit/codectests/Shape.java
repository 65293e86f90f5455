package dev.eskit.codectests;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A sealed hierarchy of records. The Jackson annotations are only for the databind side of the comparison: they ask
 * databind for the discriminator the generated codec always writes.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
@JsonSubTypes({@JsonSubTypes.Type(Shape.Circle.class), @JsonSubTypes.Type(Shape.Square.class),
        @JsonSubTypes.Type(Shape.Empty.class)})
public sealed interface Shape {

    /** A circle. */
    record Circle(double radius) implements Shape {
    }

    /** A square with a nested record. */
    record Square(Money price, int side) implements Shape {
    }

    /** A record without properties. */
    record Empty() implements Shape {
    }
}
