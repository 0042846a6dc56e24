package io.customersessions.eventlog.serde;

import java.io.OutputStream;
import java.util.Arrays;

/** An unsynchronized, reusable byte buffer for one thread's encoding (ByteArrayOutputStream locks on every write). */
final class GrowableOutput extends OutputStream {

    private byte[] buffer;
    private int count;

    GrowableOutput(int initialCapacity) {
        buffer = new byte[initialCapacity];
    }

    @Override
    public void write(int b) {
        ensureCapacity(count + 1);
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        ensureCapacity(count + length);
        System.arraycopy(bytes, offset, buffer, count, length);
        count += length;
    }

    void writeInt(int value) {
        ensureCapacity(count + 4);
        buffer[count++] = (byte) (value >>> 24);
        buffer[count++] = (byte) (value >>> 16);
        buffer[count++] = (byte) (value >>> 8);
        buffer[count++] = (byte) value;
    }

    void reset() {
        count = 0;
    }

    int capacity() {
        return buffer.length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, count);
    }

    private void ensureCapacity(int required) {
        if (required > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(required, buffer.length * 2));
        }
    }
}
