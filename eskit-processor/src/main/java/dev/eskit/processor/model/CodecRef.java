package dev.eskit.processor.model;

import com.palantir.javapoet.ClassName;

/**
 * A public codec constant of a generated {@code <Package>Codecs} file, such as {@code BankCodecs.DEPOSITED}.
 *
 * @param file     the file's class
 * @param constant the constant
 */
public record CodecRef(ClassName file, String constant) {
}
