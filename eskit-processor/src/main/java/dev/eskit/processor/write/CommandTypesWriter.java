package dev.eskit.processor.write;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import dev.eskit.processor.model.CommandTypesModel;
import java.util.List;
import javax.lang.model.element.Modifier;

/** Writes a package's {@code <Package>CommandTypes} registry. */
public final class CommandTypesWriter {

    private static final ClassName COMMAND_TYPE = ClassName.get("dev.eskit.command", "CommandType");
    private static final ClassName REGISTRY = ClassName.get("dev.eskit.command", "CommandTypeRegistry");
    private static final ClassName LIST = ClassName.get(List.class);
    private static final ClassName UPCASTER = ClassName.get("dev.eskit.command", "CommandUpcaster");

    /** The registry file for {@code model}. */
    public JavaFile write(CommandTypesModel model) {
        TypeName listType = ParameterizedTypeName.get(LIST,
                ParameterizedTypeName.get(COMMAND_TYPE, WildcardTypeName.subtypeOf(Object.class)));
        CodeBlock.Builder entries = CodeBlock.builder().add("$T.of(\n", LIST).indent();
        List<CommandTypesModel.Command> commands = model.commands();
        for (int i = 0; i < commands.size(); i++) {
            CommandTypesModel.Command command = commands.get(i);
            CodeBlock codec = command.codec() == null ? CodeBlock.of("null")
                    : CodeBlock.of("$T.$L", command.codec().file(), command.codec().constant());
            CodeBlock upcasters = CodeBlock.of("");
            if (!command.upcasters().isEmpty()) {
                CodeBlock.Builder refs = CodeBlock.builder().add(", $T.<$T>of(", LIST, UPCASTER);
                for (int u = 0; u < command.upcasters().size(); u++) {
                    CommandTypesModel.Upcaster upcaster = command.upcasters().get(u);
                    refs.add("$L$T::$L", u == 0 ? "" : ", ", upcaster.owner(), upcaster.method());
                }
                upcasters = refs.add(")").build();
            }
            entries.add("new $T<>($S, $T.class, $L, $L$L)$L\n", COMMAND_TYPE, command.wireName(), command.type(),
                    command.version(), codec, upcasters, i + 1 < commands.size() ? "," : "");
        }
        entries.unindent().add(")");
        TypeSpec.Builder type = TypeSpec.classBuilder(model.className())
                .addJavadoc("The command types of the deciders of package {@code $L}, found by\n"
                        + "{@code CommandTypes.discover()} through\n"
                        + "{@code META-INF/services/dev.eskit.command.CommandTypeRegistry}.\n",
                        model.className().packageName())
                .addAnnotation(WriteSupport.generated())
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(REGISTRY)
                .addField(FieldSpec.builder(listType, "TYPES", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer(entries.build())
                        .build());
        model.origins().forEach(type::addOriginatingElement);
        for (CommandTypesModel.Command command : commands) {
            type.addField(FieldSpec.builder(String.class, constant(command.type()), Modifier.PUBLIC, Modifier.STATIC,
                            Modifier.FINAL)
                    .addJavadoc("The wire name of {@link $T}.\n", command.type())
                    .initializer("$S", command.wireName())
                    .build());
        }
        type.addMethod(MethodSpec.constructorBuilder()
                        .addJavadoc("Creates the registry; {@code ServiceLoader} calls this.\n")
                        .addModifiers(Modifier.PUBLIC)
                        .build())
                .addMethod(MethodSpec.methodBuilder("commandTypes")
                        .addJavadoc("The command types of this package's deciders, sorted by class name.\n")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(listType)
                        .addStatement("return TYPES")
                        .build());
        return WriteSupport.file(model.className().packageName(), type.build(),
                "the commands of the deciders of package " + model.className().packageName());
    }

    /** {@code DEPOSIT} for {@code Deposit}, {@code OPEN_ACCOUNT} for {@code OpenAccount}. */
    private static String constant(ClassName type) {
        String joined = String.join("", type.simpleNames());
        return joined.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("([A-Z])([A-Z][a-z])", "$1_$2")
                .toUpperCase(java.util.Locale.ROOT);
    }
}
