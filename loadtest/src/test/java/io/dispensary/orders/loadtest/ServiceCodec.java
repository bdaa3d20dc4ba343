package io.dispensary.orders.loadtest;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;

/**
 * The service's own order-number codec (FF1 + Damm), loaded from the service's classes on the class path, so the
 * fill benchmark encodes exactly as production does without the load-test project depending on the service's
 * build. Reflection keeps {@code loadtest/} compilable before the service is built.
 */
final class ServiceCodec {

    private final Object codec;
    private final Object production;
    private final Method encode;
    private final Method text;
    private final Method parse;
    private final Method decode;

    ServiceCodec(String hexKey, int digits, boolean checkDigit) {
        try {
            Class<?> codecType = Class.forName("io.dispensary.orders.ordernumber.OrderNumberCodec");
            Class<?> namespaceType = Class.forName("io.dispensary.orders.ordernumber.Namespace");
            Class<?> numberType = Class.forName("io.dispensary.orders.ordernumber.OrderNumber");
            byte[] key = (byte[]) codecType.getMethod("parseKey", String.class).invoke(null, hexKey);
            Constructor<?> constructor = codecType.getConstructor(byte[].class, int.class, boolean.class);
            this.codec = constructor.newInstance(key, digits, checkDigit);
            this.production = namespaceType.getField("PRODUCTION").get(null);
            this.encode = codecType.getMethod("encode", namespaceType, long.class);
            this.text = numberType.getMethod("text");
            this.parse = codecType.getMethod("parse", String.class);
            this.decode = codecType.getMethod("decode", numberType);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("put the service's classes (target/classes) and Bouncy Castle "
                    + "on the class path", e);
        }
    }

    /** The production order number of a sequence value, as the service would issue it. */
    String encode(long sequenceValue) {
        try {
            return (String) text.invoke(encode.invoke(codec, production, sequenceValue));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sequence value behind an order number this codec issued (FF1 decrypted). */
    long decode(String number) {
        try {
            return (long) decode.invoke(codec, parse.invoke(codec, number));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
