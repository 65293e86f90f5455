/** The bank sample on Spring Boot: {@link dev.eskit.samples.springbank.SpringBankApplication}. */
package dev.eskit.samples.springbank;
