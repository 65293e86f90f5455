/**
 * A small bank written with eskit annotations: accounts that open, take deposits and refuse withdrawals beyond their
 * balance, and a balances read model. The processor generates {@code AccountDecider}, {@code AccountSpec},
 * {@code BankEventTypes} and {@code BalancesHandlers} from these classes.
 */
package dev.eskit.samples.bank;
