package dev.eskit.samples.springbank;

import dev.eskit.StoredEvent;
import dev.eskit.automation.Automation;
import dev.eskit.projection.Projector;
import dev.eskit.samples.bank.Balances;
import dev.eskit.samples.bank.BalancesHandlers;
import dev.eskit.samples.bank.Deposit;
import dev.eskit.samples.bank.Withdrawn;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The bank sample on Spring Boot: the accounts of {@code samples/bank} (their events, decider and generated routes)
 * behind a REST API, wired by {@code eskit-spring-boot-starter}. The starter finds the generated registries and
 * routes on the class path; this class adds only the read model and the transfers automation.
 *
 * <pre>
 * mvn -q -pl samples/spring-bank -am package -DskipTests &amp;&amp; java -jar samples/spring-bank/target/spring-bank.jar
 * curl localhost:8080/accounts
 * </pre>
 */
@SpringBootApplication
public class SpringBankApplication {

    /** The metadata entry of a withdrawal that names the account the money goes to. */
    public static final String TRANSFER_TO = "transferTo";

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(SpringBankApplication.class, args);
    }

    /** The balances read model, in memory: rebuilt from the log at every start. */
    @Bean
    Balances balances() {
        return new Balances();
    }

    /**
     * The balances projection: the generated dispatch table, which the starter runs as subscription "balances". A
     * bare {@code BalancesHandlers} bean would do; this wraps it because {@link Balances} is not thread-safe and
     * {@link BankService} reads it from request threads (both lock the model).
     */
    @Bean
    Projector balancesProjector(Balances balances) {
        BalancesHandlers table = new BalancesHandlers(balances);
        return Projector.of(table.name(), table.eventTypes(), event -> {
            synchronized (balances) {
                table.handle(event);
            }
        });
    }

    /**
     * The transfers automation (subscription "transfers"): a withdrawal whose metadata names a target account causes
     * a deposit there, with the withdrawal's correlation id; a redelivered withdrawal causes the same command, which
     * the command bus recognises by its idempotency key.
     */
    @Bean
    Automation transfers() {
        return (StoredEvent<Object> event) -> {
            String target = event.metadata().extras().get(TRANSFER_TO);
            return target != null && event.data() instanceof Withdrawn withdrawn
                    ? List.of(new Deposit(target, withdrawn.amountCents())) : List.of();
        };
    }
}
