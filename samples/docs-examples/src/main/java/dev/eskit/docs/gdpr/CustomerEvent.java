package dev.eskit.docs.gdpr;

/** Events of a customer (docs/gdpr.md). */
public sealed interface CustomerEvent permits CustomerRegistered, ReferralMade {
}
