package dev.eskit.processor.write;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import dev.eskit.processor.model.PersonalDataModel;
import dev.eskit.processor.model.PersonalDataRegistryModel;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/** Writes a package's {@code <Package>PersonalData}: the field-level encrypt and decrypt code of its events. */
public final class PersonalDataWriter {

    private static final ClassName REGISTRY = ClassName.get("dev.eskit.gdpr", "PersonalDataRegistry");
    private static final ClassName CIPHER = ClassName.get("dev.eskit.gdpr", "FieldCipher");
    private static final ClassName OBJECT_NODE = ClassName.get("com.fasterxml.jackson.databind.node", "ObjectNode");
    private static final ClassName SET = ClassName.get(Set.class);
    private static final ClassName JSON_OBJECT = ClassName.get("dev.eskit.codec", "JsonObject");
    private static final ClassName STREAMING_CIPHER = ClassName.get("dev.eskit.gdpr", "JsonObjectCipher");

    /** Databind's tree type: the registry has methods on it only when it is on the compile class path. */
    public static final String OBJECT_NODE_NAME = "com.fasterxml.jackson.databind.node.ObjectNode";

    /** The registry file for {@code model}, with the databind ({@code ObjectNode}) methods. */
    public JavaFile write(PersonalDataRegistryModel model) {
        return write(model, true);
    }

    /**
     * The registry file for {@code model}: methods on eskit's {@code JsonObject} always, on databind's
     * {@code ObjectNode} when {@code databind} (jackson-databind is on the compile class path).
     */
    public JavaFile write(PersonalDataRegistryModel model, boolean databind) {
        List<PersonalDataModel> events = model.events().stream()
                .sorted(Comparator.comparing(PersonalDataModel::wireName))
                .toList();
        CodeBlock names = events.stream().map(e -> CodeBlock.of("$S", e.wireName())).collect(CodeBlock.joining(", "));

        ParameterizedTypeName setOfString = ParameterizedTypeName.get(SET, ClassName.get(String.class));
        TypeSpec.Builder type = TypeSpec.classBuilder(model.className());
        for (ClassName cipher : databind ? List.of(CIPHER, STREAMING_CIPHER) : List.of(STREAMING_CIPHER)) {
            ClassName tree = cipher == CIPHER ? OBJECT_NODE : JSON_OBJECT;
            CodeBlock.Builder encrypt = encrypt(events, cipher);
            CodeBlock.Builder decrypt = decrypt(events, cipher);
            type.addMethod(handler("encrypt", "Encrypts the personal fields of {@code data} in place.\n", encrypt, tree,
                            cipher))
                    .addMethod(handler("decrypt", "Decrypts the personal fields of {@code data} in place.\n", decrypt,
                            tree, cipher));
        }
        type
                .addJavadoc("The field-level encryption of the @PersonalData events of package {@code $L}, found by\n"
                        + "{@code PersonalDataProtector.discover(...)} through\n"
                        + "{@code META-INF/services/dev.eskit.gdpr.PersonalDataRegistry}.\n",
                        model.className().packageName())
                .addAnnotation(WriteSupport.generated())
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(REGISTRY)
                .addField(FieldSpec.builder(setOfString, "TYPES", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer("$T.of($L)", SET, names)
                        .build())
                .addMethod(MethodSpec.constructorBuilder()
                        .addJavadoc("Creates the registry; {@code ServiceLoader} calls this.\n")
                        .addModifiers(Modifier.PUBLIC)
                        .build())
                .addMethod(MethodSpec.methodBuilder("eventTypes")
                        .addJavadoc("The wire names of the events with personal data.\n")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(setOfString)
                        .addStatement("return TYPES")
                        .build());
        events.forEach(e -> type.addOriginatingElement(e.origin()));
        return WriteSupport.file(model.className().packageName(), type.build(),
                "the @PersonalData components of the @Event records of package " + model.className().packageName());
    }

    private static CodeBlock.Builder encrypt(List<PersonalDataModel> events, ClassName cipher) {
        CodeBlock.Builder encrypt = CodeBlock.builder().beginControlFlow("switch (eventType)");
        for (PersonalDataModel event : events) {
            encrypt.beginControlFlow("case $S ->", event.wireName());
            // Read every subject before encrypting anything: a subject may itself be personal data.
            Set<String> subjects = new LinkedHashSet<>();
            event.fields().forEach(f -> subjects.add(f.subject()));
            for (String subject : subjects) {
                encrypt.addStatement("String $L = $T.subject(data, $S, eventType)", variable(subject), cipher, subject);
            }
            for (PersonalDataModel.Field field : event.fields()) {
                encrypt.addStatement("cipher.encrypt(data, $S, $L)", field.name(), variable(field.subject()));
            }
            encrypt.endControlFlow();
        }
        return encrypt.add("default -> { }\n").endControlFlow();
    }

    private static CodeBlock.Builder decrypt(List<PersonalDataModel> events, ClassName cipher) {
        CodeBlock.Builder decrypt = CodeBlock.builder().beginControlFlow("switch (eventType)");
        for (PersonalDataModel event : events) {
            decrypt.beginControlFlow("case $S ->", event.wireName());
            for (PersonalDataModel.Field field : event.fields()) {
                decrypt.addStatement("cipher.decrypt(data, $S, $T.$L)", field.name(), cipher,
                        field.text() ? "ERASED_TEXT" : "ERASED_NULL");
            }
            decrypt.endControlFlow();
        }
        return decrypt.add("default -> { }\n").endControlFlow();
    }

    private static MethodSpec handler(String name, String doc, CodeBlock.Builder body, ClassName tree,
            ClassName cipher) {
        return MethodSpec.methodBuilder(name)
                .addJavadoc(doc)
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addParameter(String.class, "eventType")
                .addParameter(tree, "data")
                .addParameter(cipher, "cipher")
                .addCode(body.build())
                .build();
    }

    private static String variable(String subject) {
        return "subject_" + subject;
    }
}
