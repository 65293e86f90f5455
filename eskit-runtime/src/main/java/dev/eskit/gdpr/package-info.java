/**
 * Crypto-shredding: {@code @PersonalData} fields stored encrypted under per-subject data keys (AES-256-GCM), data keys
 * wrapped by a master key (envelope encryption), and forgetting a subject by deleting its keys.
 * See {@code docs/gdpr.md}.
 */
package dev.eskit.gdpr;
