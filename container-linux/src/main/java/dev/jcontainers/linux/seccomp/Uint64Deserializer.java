package dev.jcontainers.linux.seccomp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import java.io.IOException;
import java.math.BigInteger;

/** Reads a JSON integer from 0 to 2^64-1 into a {@code long} with the same 64 bits. */
final class Uint64Deserializer extends StdDeserializer<Long> {
    private static final BigInteger LIMIT = BigInteger.ONE.shiftLeft(64);

    Uint64Deserializer() {
        super(Long.class);
    }

    @Override
    public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            return (Long) ctxt.handleUnexpectedToken(Long.class, p);
        }
        BigInteger value = p.getBigIntegerValue();
        if (value.signum() < 0 || value.compareTo(LIMIT) >= 0) {
            return (Long) ctxt.handleWeirdNumberValue(Long.class, value, "not an unsigned 64-bit number");
        }
        return value.longValue();
    }

    /** A missing value is 0, as for Go's {@code uint64}. */
    @Override
    public Long getAbsentValue(DeserializationContext ctxt) {
        return 0L;
    }

    @Override
    public Long getNullValue(DeserializationContext ctxt) {
        return 0L;
    }
}
