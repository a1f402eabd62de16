package dev.opsbot.core.dockerjava;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.opsbot.core.docker.ServiceContainer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Questions in chat share a listing for a second, and never one older than the bot's own last change. */
class RecentListingsTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RecentListings listings = new RecentListings(now::get);
    private final AtomicInteger listed = new AtomicInteger();
    private final Supplier<List<ServiceContainer>> engine = () -> {
        listed.incrementAndGet();
        return List.of();
    };

    @Test
    void aBurstOfQuestionsSharesOneListingForASecond() {
        for (int i = 0; i < 5; i++) listings.recent("shop", engine);
        assertEquals(1, listed.get());
        now.addAndGet(RecentListings.FRESH_FOR.toNanos() - 1);
        listings.recent("shop", engine);
        assertEquals(1, listed.get(), "still within the second");
        now.addAndGet(1);
        listings.recent("shop", engine);
        assertEquals(2, listed.get(), "a second old: listed again");
    }

    @Test
    void eachProjectHasItsOwnListing() {
        listings.recent("shop", engine);
        listings.recent("blog", engine);
        listings.recent("shop", engine);
        assertEquals(2, listed.get());
    }

    @Test
    void theBotsOwnChangeMakesTheNextQuestionListAgain() {
        listings.recent("shop", engine);
        listings.change(() -> { });
        listings.recent("shop", engine);
        assertEquals(2, listed.get());
    }

    @Test
    void aListingTakenWhileAChangeRunsIsNotHandedOutAfterIt() {
        listings.change(() -> listings.recent("shop", engine));
        assertEquals(1, listed.get());
        listings.recent("shop", engine);
        assertEquals(2, listed.get(), "the change may have ended after that listing was taken");
    }

}
