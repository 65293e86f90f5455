package dev.eskit.processor;

import java.io.IOException;
import java.io.Writer;
import java.util.Map;
import javax.lang.model.element.TypeElement;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * GraalVM reachability metadata for the types that still need reflection: {@code reflect-config.json} under
 * {@code META-INF/native-image/eskit/<package>/}, listing the events, states and commands that jackson-databind reads
 * and writes by reflection ({@code @DatabindCodec}, and states and commands without a generated codec). Nothing is
 * written when every type has a generated codec.
 */
final class NativeImageConfig {

    /** The folder under which the file is written, followed by the first package and the file name. */
    static final String FOLDER = "META-INF/native-image/eskit/";

    private NativeImageConfig() {
    }

    /** Writes the file for {@code types} (sorted by qualified name), unless there are none. */
    static void write(EskitContext context, Map<String, TypeElement> types) {
        if (types.isEmpty()) {
            return;
        }
        TypeElement first = types.values().iterator().next();
        String packageName = context.elements().getPackageOf(first).getQualifiedName().toString();
        String path = FOLDER + (packageName.isEmpty() ? "default" : packageName) + "/reflect-config.json";
        try {
            FileObject file = context.filer().createResource(StandardLocation.CLASS_OUTPUT, "", path,
                    types.values().toArray(TypeElement[]::new));
            try (Writer writer = file.openWriter()) {
                writer.write(render(types));
            }
        } catch (IOException failure) {
            context.diagnostics().internal(first, failure);
        }
    }

    /** The JSON: one entry per type, with what databind needs of a record or class. */
    static String render(Map<String, TypeElement> types) {
        StringBuilder json = new StringBuilder("[\n");
        int i = 0;
        for (Map.Entry<String, TypeElement> type : types.entrySet()) {
            json.append("  {\"name\": \"").append(binaryName(type.getValue())).append("\", ")
                    .append("\"allDeclaredConstructors\": true, \"allDeclaredMethods\": true, ")
                    .append("\"allDeclaredFields\": true, \"allPublicMethods\": true}")
                    .append(++i < types.size() ? ",\n" : "\n");
        }
        return json.append("]\n").toString();
    }

    /** {@code com.acme.Outer$Inner}: the name {@code Class.forName} takes. */
    private static String binaryName(TypeElement type) {
        if (type.getEnclosingElement() instanceof TypeElement outer) {
            return binaryName(outer) + "$" + type.getSimpleName();
        }
        return type.getQualifiedName().toString();
    }
}
