package dev.eskit.processor;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import javax.annotation.processing.Processor;
import javax.tools.JavaFileObject;

/** Helpers for compiling test inputs with the processor. */
final class Compile {

    private Compile() {
    }

    /** Compiles {@code sources} with a fresh {@link EskitProcessor} and {@code others}. */
    static Compilation compile(List<JavaFileObject> sources, Processor... others) {
        Processor[] processors = new Processor[others.length + 1];
        processors[0] = new EskitProcessor();
        System.arraycopy(others, 0, processors, 1, others.length);
        return javac().withProcessors(processors).compile(sources);
    }

    /** Every {@code .java} file under the resource directory {@code root}, sorted by path. */
    static List<JavaFileObject> resources(String root) {
        Path dir = resourcePath(root);
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .sorted()
                    .map(p -> JavaFileObjects.forResource(root + "/" + dir.relativize(p).toString()
                            .replace('\\', '/')))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file system path of a test resource. */
    static Path resourcePath(String name) {
        URL url = Compile.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalArgumentException("no test resource " + name);
        }
        try {
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
