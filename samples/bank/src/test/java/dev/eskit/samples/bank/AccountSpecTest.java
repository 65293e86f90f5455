package dev.eskit.samples.bank;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The account rules, through the generated {@code AccountSpec} fixture. */
class AccountSpecTest {

    @Test
    void openingANewAccountEmitsAccountOpened() {
        AccountSpec.when(new OpenAccount("a-1", "ada"))
                .then(new AccountOpened("a-1", "ada"))
                .thenState(new AccountState("ada", 0));
    }

    @Test
    void openingTwiceForTheSameOwnerEmitsNothing() {
        AccountSpec.given(new AccountOpened("a-1", "ada"))
                .when(new OpenAccount("a-1", "ada"))
                .thenNoEvents();
    }

    @Test
    void openingForAnotherOwnerIsRejected() {
        AccountSpec.given(new AccountOpened("a-1", "ada"))
                .when(new OpenAccount("a-1", "bob"))
                .thenError(AccountRejectedException.class, "already open");
    }

    @Test
    void depositRaisesTheBalance() {
        AccountSpec.given(new AccountOpened("a-1", "ada"), new Deposited("a-1", 500))
                .when(new Deposit("a-1", 250))
                .then(new Deposited("a-1", 250))
                .thenState(new AccountState("ada", 750));
    }

    @Test
    void withdrawalWithinTheBalanceIsAccepted() {
        AccountSpec.given(new AccountOpened("a-1", "ada"), new Deposited("a-1", 500))
                .when(new Withdraw("a-1", 500, "rent"))
                .then(new Withdrawn("a-1", 500, "rent"))
                .thenState(new AccountState("ada", 0));
    }

    @Test
    void withdrawalBeyondTheBalanceIsRejectedWithInsufficientFunds() {
        AccountSpec.given(new AccountOpened("a-1", "ada"), new Deposited("a-1", 5))
                .when(new Withdraw("a-1", 9, "rent"))
                .thenError(InsufficientFundsException.class, "has 5 cents, cannot withdraw 9");
    }

    @Test
    void depositToAnUnopenedAccountIsRejected() {
        AccountSpec.when(new Deposit("a-1", 5)).thenError(AccountRejectedException.class, "not open");
    }

    @Test
    void aWrongExpectationFailsWithADiffOfTheEvents() {
        AssertionError failure = assertThrows(AssertionError.class, () ->
                AccountSpec.given(new AccountOpened("a-1", "ada"))
                        .when(new Deposit("a-1", 5))
                        .then(new Deposited("a-1", 6)));
        assertTrue(failure.getMessage().contains("Deposited[accountId=a-1, amountCents=6]"), failure.getMessage());
        assertTrue(failure.getMessage().contains("Deposited[accountId=a-1, amountCents=5]"), failure.getMessage());
    }

    @Test
    void anExpectedErrorThatDoesNotHappenFails() {
        assertThrows(AssertionError.class, () -> AccountSpec.given(new AccountOpened("a-1", "ada"))
                .when(new Deposit("a-1", 5))
                .thenError(InsufficientFundsException.class));
    }
}
