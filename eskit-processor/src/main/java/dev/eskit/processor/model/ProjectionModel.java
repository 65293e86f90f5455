package dev.eskit.processor.model;

import com.palantir.javapoet.ClassName;
import java.util.List;
import javax.lang.model.element.Element;

/**
 * One {@code @Projection} class and its generated dispatch table.
 *
 * @param source        the annotated class
 * @param handlersClass the generated table, {@code <Name>Handlers}
 * @param name          the projection name
 * @param handles       the handle methods, most specific event first
 * @param needsTarget   whether some method is an instance method
 * @param origin        the annotated element
 */
public record ProjectionModel(ClassName source, ClassName handlersClass, String name, List<HandleModel> handles,
                              boolean needsTarget, Element origin) {
    /** Copies the list. */
    public ProjectionModel {
        handles = List.copyOf(handles);
    }
}
