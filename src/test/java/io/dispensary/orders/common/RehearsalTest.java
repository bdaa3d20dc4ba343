package io.dispensary.orders.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The warm-up's credential: its own tokens while the warm-up runs, nothing else, and nothing once it is over. */
class RehearsalTest {

    private final Rehearsal rehearsal = new Rehearsal();

    @Test
    void aSlotsTokenAuthenticatesAsThatSlotOnlyWhileOpen() {
        assertThat(rehearsal.slot(rehearsal.token(3))).isEmpty();
        rehearsal.open();
        assertThat(rehearsal.slot(rehearsal.token(3))).isEqualTo(OptionalInt.of(3));
        assertThat(rehearsal.slot(rehearsal.token(0))).isEqualTo(OptionalInt.of(0));
        rehearsal.close();
        assertThat(rehearsal.slot(rehearsal.token(3))).isEmpty();
    }

    @Test
    void anotherProcesssTokenOrAForgedOneNeverAuthenticates() {
        Rehearsal other = new Rehearsal();
        rehearsal.open();
        other.open();
        String genuine = rehearsal.token(1);
        assertThat(rehearsal.slot(other.token(1))).isEmpty();
        assertThat(rehearsal.slot(genuine.substring(0, genuine.length() - 1))).isEmpty();
        assertThat(rehearsal.slot(genuine + "0")).isEmpty();
        assertThat(rehearsal.slot(genuine.replace("rehearsal.1.", "rehearsal.x.")))
                .isEmpty();
        assertThat(rehearsal.slot(genuine.replace("rehearsal.1.", "rehearsal.1234.")))
                .isEmpty();
        assertThat(rehearsal.slot(genuine.replace("rehearsal.1.", "rehearsal..")))
                .isEmpty();
        assertThat(rehearsal.slot("dsk_an_ordinary_api_key")).isEmpty();
        assertThat(rehearsal.slot("rehearsal.")).isEmpty();
        assertThat(rehearsal.slot(null)).isEmpty();
    }

    @Test
    void theMetersKnowARehearsalsHeaderEvenJustAfterTheWarmUpClosed() {
        rehearsal.open();
        String header = "Bearer " + rehearsal.token(2);
        rehearsal.close();
        assertThat(rehearsal.carriesToken(header)).isTrue();
        assertThat(rehearsal.carriesToken("bearer " + rehearsal.token(2))).isTrue();
        assertThat(rehearsal.carriesToken("Bearer " + new Rehearsal().token(2))).isFalse();
        assertThat(rehearsal.carriesToken("Bearer dsk_x")).isFalse();
        assertThat(rehearsal.carriesToken("Basic abc")).isFalse();
        assertThat(rehearsal.carriesToken(null)).isFalse();
    }

    @Test
    void eachSlotHasADispensaryAndKeyIdOfItsOwnThatAKeyIdColumnHolds() {
        assertThat(rehearsal.dispensaryId(0))
                .isNotEqualTo(rehearsal.dispensaryId(1))
                .matches("[A-Za-z0-9_-]{1,64}");
        assertThat(rehearsal.keyId(0)).isNotEqualTo(rehearsal.keyId(1));
        assertThat(rehearsal.keyId(63)).hasSizeLessThanOrEqualTo(32);
        assertThat(new Rehearsal().dispensaryId(0)).isNotEqualTo(rehearsal.dispensaryId(0));
    }
}
