/**
 * The account domain of docs/annotations.md and docs/schema-evolution.md, compiled with the eskit processor so that
 * the pages' annotated examples are real code. Tested by {@code AnnotationsGuideExamplesTest} and
 * {@code SchemaEvolutionGuideExamplesTest}.
 */
package dev.eskit.docs.bank;
