package dev.eskit.samples.springbank;

import dev.eskit.Position;
import dev.eskit.samples.bank.AccountRejectedException;
import dev.eskit.samples.bank.InsufficientFundsException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The REST API. Writes answer with the global position of their last event; pass it back as {@code ?after=} to read
 * balances that include the write.
 *
 * <pre>
 * curl -XPOST localhost:8080/accounts -H 'content-type: application/json' -d '{"id":"alice","owner":"Alice"}'
 * curl -XPOST localhost:8080/accounts/alice/deposits -H 'content-type: application/json' -d '{"amountCents":1000}'
 * curl localhost:8080/accounts
 * </pre>
 */
@RestController
public class AccountController {

    /** Opening an account. */
    public record Open(String id, String owner) {
    }

    /** A deposit or withdrawal. */
    public record Amount(long amountCents, String reason) {
    }

    /** A transfer. */
    public record Transfer(String from, String to, long amountCents) {
    }

    /** What a write did: the position token of its last event ({@code null} when nothing was appended). */
    public record Written(String position) {
        static Written of(Position position) {
            return new Written(position == null ? null : position.toToken());
        }
    }

    private final BankService bank;

    /** Created by Spring. */
    public AccountController(BankService bank) {
        this.bank = bank;
    }

    /** Opens an account. */
    @PostMapping("/accounts")
    public ResponseEntity<Written> open(@RequestBody Open open) {
        return ResponseEntity.status(HttpStatus.CREATED).body(Written.of(bank.open(open.id(), open.owner())));
    }

    /** Pays money in. */
    @PostMapping("/accounts/{id}/deposits")
    public Written deposit(@PathVariable("id") String id, @RequestBody Amount amount) {
        return Written.of(bank.deposit(id, amount.amountCents()));
    }

    /** Takes money out. */
    @PostMapping("/accounts/{id}/withdrawals")
    public Written withdraw(@PathVariable("id") String id, @RequestBody Amount amount) {
        return Written.of(bank.withdraw(id, amount.amountCents(), amount.reason() == null ? "" : amount.reason()));
    }

    /** Moves money between accounts (asynchronously: the deposit follows through the automation). */
    @PostMapping("/transfers")
    public ResponseEntity<Map<String, String>> transfer(@RequestBody Transfer transfer) {
        String id = bank.transfer(transfer.from(), transfer.to(), transfer.amountCents());
        return ResponseEntity.accepted().body(Map.of("transferId", id));
    }

    /** Every balance in cents; {@code after} waits (briefly) until the projection has seen that position. */
    @GetMapping("/accounts")
    public Map<String, Long> balances(@RequestParam(name = "after", required = false) String after) {
        return bank.balances(after == null ? null : Position.parse(after));
    }

    /** An overdraft. */
    @ExceptionHandler(InsufficientFundsException.class)
    public ProblemDetail insufficientFunds(InsufficientFundsException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, e.getMessage());
    }

    /** A command the account refuses (not open, already open, bad amount). */
    @ExceptionHandler(AccountRejectedException.class)
    public ProblemDetail rejected(AccountRejectedException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }
}
