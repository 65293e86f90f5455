package dev.eskit.processor;

import dev.eskit.processor.diag.Diagnostics;
import javax.annotation.processing.Filer;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * What every reader and step needs from javac, passed through constructors (the processor keeps no static state).
 *
 * @param elements    javac's element utilities
 * @param types       javac's type utilities
 * @param filer       where generated files go
 * @param diagnostics where problems are reported
 */
public record EskitContext(Elements elements, Types types, Filer filer, Diagnostics diagnostics) {
}
