package io.dispensary.orders.ordernumber;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The codec's cost per number: encode (what create-order pays), decode and parse (what a lookup pays).
 * Run with {@code bin/bench-codec}; not part of the test suite, since timings on a shared machine are no test.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class OrderNumberCodecBenchmark {

    @Param({"6", "8", "12", "18"})
    public int digits;

    private OrderNumberCodec codec;
    private OrderNumber number;
    private long value;

    @Setup
    public void setUp() {
        codec = new OrderNumberCodec(OrderNumberCodec.parseKey("2B7E151628AED2A6ABF7158809CF4F3C"), digits, true);
        value = codec.maxSequenceValue() / 3;
        number = codec.encode(Namespace.PRODUCTION, value);
    }

    @Benchmark
    public OrderNumber encode() {
        return codec.encode(Namespace.PRODUCTION, value++ % codec.capacity());
    }

    @Benchmark
    public long decode() {
        return codec.decode(number);
    }

    @Benchmark
    public OrderNumber parse() {
        return codec.parse(number.text());
    }
}
