package com.acme.bank;

record AccountState(boolean open, long balanceCents) {
    static final AccountState NEW = new AccountState(false, 0);
}
