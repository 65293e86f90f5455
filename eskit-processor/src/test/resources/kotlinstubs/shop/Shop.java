package shop;

// What kapt shows the processor for a Kotlin shop domain: Java stubs carrying @kotlin.Metadata. (Here with bodies,
// so that the generated code can run; kapt's stubs return null and kotlinc supplies the real classes.)
//
// sealed interface CartCommand          (sealed only in the metadata below)
// data class AddItem(@StreamId val cartId: String, val sku: String, val quantity: Int) : CartCommand
// data class Clear(@get:StreamId val cartId: String) : CartCommand
// sealed interface CartEvent
// data class Money(val cents: Long, val currency: String)
// @Event(aliases = ["shop.ItemPut"]) data class ItemAdded(val sku: String, val quantity: Int, val isGift: Boolean,
//     val price: Money, val tags: List<String>) : CartEvent { val total: Long get() = price.cents * quantity }
// @Event(version = 2) data class Cleared(val cartId: String) : CartEvent
// data class ClearedV1(val cart: String)
// @Upcast(event = Cleared::class, from = 1) fun clearedFromV1(old: ClearedV1): Cleared = Cleared(old.cart)  (top level)

import dev.eskit.annotations.*;
import java.util.List;

// The metadata of the two sealed interfaces is kotlinc's own (copied from a kapt stub, names changed): it says
// "sealed" and lists the subclasses, which the stubs' Java declarations do not.
@kotlin.Metadata(mv = {2, 2, 0}, k = 1, xi = 48, d1 = {"\u0000\u001c\n\u0002\u0018\u0002\n\u0002\u0010\u0000\n\u0000\n\u0002\u0010\u000e\n\u0002\b\u0002\n\u0002\u0018\u0002\n\u0002\u0018\u0002\n\u0000\bv\u0018\u00002\u00020\u0001R\u0012\u0010\u0002\u001a\u00020\u0003X\u00a6\u0004\u00a2\u0006\u0006\u001a\u0004\b\u0004\u0010\u0005\u0082\u0001\u0002\u0006\u0007\u00a8\u0006\b\u00c0\u0006\u0003"}, d2 = {"Lshop/CartCommand;", "", "cartId", "", "getCartId", "()Ljava/lang/String;", "Lshop/AddItem;", "Lshop/Clear;", "eskit-sample-kotlin-shop"})
interface CartCommand {
}

@kotlin.Metadata(mv = {2, 2, 0}, k = 1, xi = 48, d1 = {"\u0000\u0012\n\u0002\u0018\u0002\n\u0002\u0010\u0000\n\u0002\u0018\u0002\n\u0002\u0018\u0002\n\u0000\bv\u0018\u00002\u00020\u0001\u0082\u0001\u0002\u0002\u0003\u00a8\u0006\u0004\u00c0\u0006\u0003"}, d2 = {"Lshop/CartEvent;", "", "Lshop/Cleared;", "Lshop/ItemAdded;", "eskit-sample-kotlin-shop"})
interface CartEvent {
}

@kotlin.Metadata(k = 1)
final class AddItem implements CartCommand {
    private final String cartId;
    private final String sku;
    private final int quantity;

    public AddItem(@StreamId String cartId, String sku, int quantity) {
        this.cartId = cartId;
        this.sku = sku;
        this.quantity = quantity;
    }

    public final String getCartId() {
        return cartId;
    }

    public final String getSku() {
        return sku;
    }

    public final int getQuantity() {
        return quantity;
    }

    public final String component1() {
        return cartId;
    }

    public final AddItem copy(String cartId, String sku, int quantity) {
        return new AddItem(cartId, sku, quantity);
    }
}

@kotlin.Metadata(k = 1)
final class Clear implements CartCommand {
    private final String cartId;

    public Clear(String cartId) {
        this.cartId = cartId;
    }

    @StreamId
    public final String getCartId() {
        return cartId;
    }
}

@kotlin.Metadata(k = 1)
final class Money {
    private final long cents;
    private final String currency;

    public Money(long cents, String currency) {
        this.cents = cents;
        this.currency = currency;
    }

    public final long getCents() {
        return cents;
    }

    public final String getCurrency() {
        return currency;
    }
}

@kotlin.Metadata(k = 1)
@Event(aliases = {"shop.ItemPut"})
final class ItemAdded implements CartEvent {
    private final String sku;
    private final int quantity;
    private final boolean isGift;
    private final Money price;
    private final List<String> tags;

    public ItemAdded(String sku, int quantity, boolean isGift, Money price, List<? extends String> tags) {
        this.sku = sku;
        this.quantity = quantity;
        this.isGift = isGift;
        this.price = price;
        this.tags = List.copyOf(tags);
    }

    public final String getSku() {
        return sku;
    }

    public final int getQuantity() {
        return quantity;
    }

    public final boolean isGift() {
        return isGift;
    }

    public final Money getPrice() {
        return price;
    }

    public final List<String> getTags() {
        return tags;
    }

    public final long getTotal() {
        return price.getCents() * quantity;
    }
}

@kotlin.Metadata(k = 1)
@Event(version = 2)
final class Cleared implements CartEvent {
    private final String cartId;

    public Cleared(String cartId) {
        this.cartId = cartId;
    }

    public final String getCartId() {
        return cartId;
    }
}

@kotlin.Metadata(k = 1)
@Decider(stream = "cart", commands = CartCommand.class, events = CartEvent.class)
final class Cart {
    public Cart() {
    }

    @InitialState
    public final Integer initial() {
        return 0;
    }

    @Decide
    public final ItemAdded add(Integer count, AddItem command) {
        return new ItemAdded(command.getSku(), command.getQuantity(), false, new Money(100, "EUR"), List.of());
    }

    @Decide
    public final List<CartEvent> clear(Integer count, Clear command) {
        return List.of(new Cleared(command.getCartId()));
    }

    @Evolve
    public final Integer added(Integer count, ItemAdded event) {
        return count + event.getQuantity();
    }

    @Evolve
    public final Integer cleared(Integer count, Cleared event) {
        return 0;
    }
}

@kotlin.Metadata(k = 1)
final class ClearedV1 {
    private final String cart;

    public ClearedV1(String cart) {
        this.cart = cart;
    }

    public final String getCart() {
        return cart;
    }
}

// Top-level Kotlin functions are static methods of the file's class.
@kotlin.Metadata(k = 2)
final class UpcastsKt {
    @Upcast(event = Cleared.class, from = 1)
    public static final Cleared clearedFromV1(ClearedV1 old) {
        return new Cleared(old.getCart());
    }
}

// Infers its types from the sealed interfaces: Decider<Integer, CartCommand, CartEvent>.
@kotlin.Metadata(k = 1)
@Decider(stream = "tally")
final class Tally {
    public Tally() {
    }

    @InitialState
    public final Integer initial() {
        return 0;
    }

    @Decide
    public final ItemAdded add(AddItem command) {
        return new ItemAdded(command.getSku(), command.getQuantity(), false, new Money(1, "EUR"), List.of());
    }

    @Decide
    public final List<Cleared> clear(Clear command) {
        return List.of(new Cleared(command.getCartId()));
    }

    @Evolve
    public final Integer added(Integer count, ItemAdded event) {
        return count + 1;
    }

    @Evolve
    public final Integer cleared(Integer count, Cleared event) {
        return 0;
    }
}

@kotlin.Metadata(k = 1)
@Projection(name = "items")
final class Items {
    public Items() {
    }

    @Handle
    public final void added(ItemAdded event) {
    }
}
